package dev.vpngw.dataplane.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plain-UDP IKE transport: bare IKE on port 500, IKE behind the 4-byte non-ESP marker on 4500
 * (RFC 3948 §2.2). Datagrams on 4500 that are ESP (non-zero first four bytes) are not IKE's: they
 * are counted and dropped here; the ESP engine's own 4500 socket replaces this one in production.
 * One blocking receive thread per socket.
 */
public final class UdpIkeTransport implements IkeTransport {
  private static final Logger log = LoggerFactory.getLogger(UdpIkeTransport.class);
  public static final int IKE_PORT = 500;
  public static final int NATT_PORT = 4500;
  private static final int MAX_DATAGRAM = 65535;

  private final DatagramChannel ike;
  private final DatagramChannel natt;
  private final InetSocketAddress ikeLocal;
  private final InetSocketAddress nattLocal;
  private volatile Receiver receiver = (m, l, r) -> { };
  private final AtomicLong espDropped = new AtomicLong();
  private final AtomicLong keepalives = new AtomicLong();
  private final Thread ikeThread;
  private final Thread nattThread;
  private volatile boolean closed;

  /** Takes two bound channels (so a caller can open them inside a network namespace). */
  public UdpIkeTransport(DatagramChannel ike, DatagramChannel natt) throws IOException {
    this.ike = ike;
    this.natt = natt;
    this.ikeLocal = (InetSocketAddress) ike.getLocalAddress();
    this.nattLocal = (InetSocketAddress) natt.getLocalAddress();
    this.ikeThread = Thread.ofPlatform().daemon().name("ike-udp-" + ikeLocal.getPort()).unstarted(() -> loop(ike, false));
    this.nattThread = Thread.ofPlatform().daemon().name("ike-udp-" + nattLocal.getPort()).unstarted(() -> loop(natt, true));
    ikeThread.start();
    nattThread.start();
  }

  /** Binds {@code address}:500 and {@code address}:4500 in the calling thread's network namespace. */
  public static UdpIkeTransport bind(InetAddress address) throws IOException {
    return bind(address, IKE_PORT, NATT_PORT);
  }

  public static UdpIkeTransport bind(InetAddress address, int ikePort, int nattPort) throws IOException {
    StandardProtocolFamily fam = address.getAddress().length == 4 ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
    DatagramChannel a = DatagramChannel.open(fam);
    DatagramChannel b = DatagramChannel.open(fam);
    try {
      a.bind(new InetSocketAddress(address, ikePort));
      b.bind(new InetSocketAddress(address, nattPort));
      return new UdpIkeTransport(a, b);
    } catch (IOException e) {
      a.close();
      b.close();
      throw new IOException("cannot bind IKE ports " + ikePort + "/" + nattPort + " on " + address.getHostAddress() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void send(InetSocketAddress local, InetSocketAddress remote, byte[] ikeMessage) {
    try {
      if (local.getPort() == nattLocal.getPort()) {
        ByteBuffer b = ByteBuffer.allocate(4 + ikeMessage.length);
        b.putInt(0).put(ikeMessage).flip();
        natt.send(b, remote);
      } else {
        ike.send(ByteBuffer.wrap(ikeMessage), remote);
      }
    } catch (IOException e) {
      if (!closed) {
        log.warn("IKE send to {} failed: {}", remote, e.toString());
      }
    }
  }

  @Override
  public void setReceiver(Receiver receiver) {
    this.receiver = receiver;
  }

  public long espDropped() {
    return espDropped.get();
  }

  private void loop(DatagramChannel ch, boolean marker) {
    ByteBuffer buf = ByteBuffer.allocate(MAX_DATAGRAM);
    InetSocketAddress local = marker ? nattLocal : ikeLocal;
    while (!closed) {
      try {
        buf.clear();
        SocketAddress from = ch.receive(buf);
        buf.flip();
        byte[] d = new byte[buf.remaining()];
        buf.get(d);
        if (marker) {
          if (d.length == 1 && d[0] == (byte) 0xff) {
            keepalives.incrementAndGet(); // NAT-T keepalive (RFC 3948 §2.3)
            continue;
          }
          if (d.length < 4 || d[0] != 0 || d[1] != 0 || d[2] != 0 || d[3] != 0) {
            espDropped.incrementAndGet();
            continue;
          }
          d = Arrays.copyOfRange(d, 4, d.length);
        }
        receiver.onIkeMessage(d, local, (InetSocketAddress) from);
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException | RuntimeException e) {
        if (!closed) {
          log.warn("IKE receive on {} failed", local, e);
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      ike.close();
      natt.close();
    } catch (IOException e) {
      log.debug("close failed", e);
    }
  }
}
