package dev.vpngw.dataplane.bgp.io;

import dev.vpngw.dataplane.bgp.wire.BgpMessageCodec;
import dev.vpngw.dataplane.bgp.wire.BgpProtocolException;
import dev.vpngw.dataplane.routing.Ipv4Prefix;
import java.io.EOFException;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A BGP connection over a blocking {@link SocketChannel}: a reader thread cuts the stream into
 * messages by the header's length field, a writer thread drains a queue so the control loop never
 * blocks on a slow peer.
 */
public final class TcpBgpConnection implements BgpConnection {
  private static final byte[] CLOSE = new byte[0];
  private final SocketChannel channel;
  private final boolean outgoing;
  private final int local;
  private final int remote;
  private final LinkedBlockingQueue<byte[]> out = new LinkedBlockingQueue<>();
  private volatile boolean closed;

  public TcpBgpConnection(SocketChannel channel, boolean outgoing) throws IOException {
    this.channel = channel;
    this.outgoing = outgoing;
    channel.socket().setTcpNoDelay(true);
    this.local = v4(channel.getLocalAddress());
    this.remote = v4(channel.getRemoteAddress());
    // The writer runs from the start so even a rejected connection flushes its NOTIFICATION.
    Thread.ofPlatform().daemon().name("bgp-write-" + Ipv4Prefix.format(remote)).start(this::writeLoop);
  }

  private static int v4(java.net.SocketAddress a) throws IOException {
    if (a instanceof InetSocketAddress isa && isa.getAddress() instanceof Inet4Address v4) {
      byte[] b = v4.getAddress();
      return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }
    throw new IOException("not an IPv4 socket address: " + a);
  }

  @Override
  public void start(Handler handler) {
    String name = Ipv4Prefix.format(remote);
    Thread.ofPlatform().daemon().name("bgp-read-" + name).start(() -> readLoop(handler));
  }

  private void readLoop(Handler handler) {
    ByteBuffer header = ByteBuffer.allocate(BgpMessageCodec.HEADER);
    try {
      while (!closed) {
        header.clear();
        readFully(header);
        header.flip();
        int len;
        try {
          len = BgpMessageCodec.frameLength(header);
        } catch (BgpProtocolException e) {
          handler.onFrameError(this, e);
          return;
        }
        byte[] frame = new byte[len];
        ByteBuffer f = ByteBuffer.wrap(frame);
        f.put(header.array());
        readFully(f);
        handler.onFrame(this, frame);
      }
    } catch (IOException e) {
      if (!closed) {
        handler.onClosed(this, e instanceof EOFException ? "peer closed the TCP connection" : "TCP error: " + e.getMessage());
      }
    }
  }

  private void readFully(ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      if (channel.read(b) < 0) {
        throw new EOFException();
      }
    }
  }

  private void writeLoop() {
    try {
      while (true) {
        byte[] m = out.take();
        if (m == CLOSE) {
          break;
        }
        ByteBuffer b = ByteBuffer.wrap(m);
        while (b.hasRemaining()) {
          channel.write(b);
        }
      }
    } catch (IOException | InterruptedException e) {
      // The reader reports the failure; nothing more to send.
    } finally {
      closeChannel();
    }
  }

  @Override
  public void send(byte[] message) {
    if (!closed) {
      out.add(message);
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      out.add(CLOSE);
    }
  }

  private void closeChannel() {
    closed = true;
    try {
      channel.close();
    } catch (IOException e) {
      // already gone
    }
  }

  @Override
  public int localAddress() {
    return local;
  }

  @Override
  public int remoteAddress() {
    return remote;
  }

  @Override
  public boolean outgoing() {
    return outgoing;
  }
}
