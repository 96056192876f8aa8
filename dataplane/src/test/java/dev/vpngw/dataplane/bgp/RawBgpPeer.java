package dev.vpngw.dataplane.bgp;

import dev.vpngw.dataplane.net.NetNs;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.HexFormat;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A hand-rolled BGP peer for what BIRD cannot do: send malformed messages. It writes raw bytes
 * built here (not with our encoder, so the two cannot share a bug) over a TCP socket created in
 * its own namespace, and records every message type the gateway sends back.
 */
public final class RawBgpPeer implements AutoCloseable {
  public static final HexFormat HEX = HexFormat.of();
  private final Socket socket;
  private final OutputStream out;
  public final LinkedBlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
  private volatile boolean closedByGateway;

  private RawBgpPeer(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    Thread.ofPlatform().daemon().start(this::readLoop);
  }

  public static RawBgpPeer connect(String ns, String local, String remote) throws IOException {
    SocketChannel ch = NetNs.runIn(ns, SocketChannel::open);
    ch.bind(new InetSocketAddress(InetAddress.getByName(local), 0));
    ch.socket().connect(new InetSocketAddress(InetAddress.getByName(remote), 179), 3000);
    return new RawBgpPeer(ch.socket());
  }

  private void readLoop() {
    try {
      DataInputStream in = new DataInputStream(socket.getInputStream());
      while (true) {
        byte[] header = new byte[19];
        in.readFully(header);
        int len = ((header[16] & 0xff) << 8) | (header[17] & 0xff);
        byte[] frame = new byte[len];
        System.arraycopy(header, 0, frame, 0, 19);
        in.readFully(frame, 19, len - 19);
        received.add(frame);
      }
    } catch (IOException e) {
      closedByGateway = true;
    }
  }

  public boolean closedByGateway() {
    return closedByGateway;
  }

  /** Next message of {@code type} the gateway sent, or null after the timeout. */
  public byte[] await(int type, long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    while (System.currentTimeMillis() < deadline) {
      byte[] m = received.poll(deadline - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
      if (m != null && (m[18] & 0xff) == type) {
        return m;
      }
    }
    return null;
  }

  public boolean sawNotification() {
    return received.stream().anyMatch(m -> (m[18] & 0xff) == 3);
  }

  public void send(byte[] message) throws IOException {
    out.write(message);
    out.flush();
  }

  /** 16 x 0xff, length, type, body. */
  public static byte[] message(int type, String bodyHex) {
    byte[] body = HEX.parseHex(bodyHex.replace(" ", ""));
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int i = 0; i < 16; i++) {
      b.write(0xff);
    }
    int len = 19 + body.length;
    b.write(len >>> 8);
    b.write(len);
    b.write(type);
    b.writeBytes(body);
    return b.toByteArray();
  }

  /** UPDATE from withdrawn, attribute and NLRI hex (lengths computed here). */
  public static byte[] update(String withdrawnHex, String attrsHex, String nlriHex) {
    String w = withdrawnHex.replace(" ", "");
    String a = attrsHex.replace(" ", "");
    return message(2, String.format("%04x", w.length() / 2) + w + String.format("%04x", a.length() / 2) + a + nlriHex.replace(" ", ""));
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
