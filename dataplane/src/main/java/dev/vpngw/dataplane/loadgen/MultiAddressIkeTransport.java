package dev.vpngw.dataplane.loadgen;

import dev.vpngw.dataplane.net.IkeTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IKE over real UDP sockets from many local addresses at once, for the load generator: every
 * address gets its own port 500 and port 4500 socket (so each simulated peer is a distinct IKE
 * endpoint to the responder), all served by one selector thread instead of a thread per socket.
 * Port 4500 datagrams carry the non-ESP marker (RFC 3948); ESP and NAT-T keepalives arriving there
 * are counted and dropped (the load generator installs no data path).
 */
public final class MultiAddressIkeTransport implements IkeTransport {
  private static final Logger log = LoggerFactory.getLogger(MultiAddressIkeTransport.class);
  private static final int IKE_PORT = 500;
  private static final int NATT_PORT = 4500;

  private final Selector selector;
  private final Map<InetSocketAddress, DatagramChannel> channels = new HashMap<>();
  private final Thread thread;
  private final AtomicLong espDropped = new AtomicLong();
  private final AtomicLong sendFailures = new AtomicLong();
  private volatile Receiver receiver = (m, l, r) -> { };
  private volatile boolean closed;

  private MultiAddressIkeTransport(Selector selector) {
    this.selector = selector;
    this.thread = Thread.ofPlatform().daemon().name("loadgen-udp").unstarted(this::loop);
  }

  /** Binds {@code address}:500 and :4500 for every address (they must be configured on an interface). */
  public static MultiAddressIkeTransport bind(List<InetAddress> addresses) throws IOException {
    var t = new MultiAddressIkeTransport(Selector.open());
    try {
      for (InetAddress a : addresses) {
        t.open(new InetSocketAddress(a, IKE_PORT));
        t.open(new InetSocketAddress(a, NATT_PORT));
      }
    } catch (IOException e) {
      t.close();
      throw e;
    }
    t.thread.start();
    return t;
  }

  private void open(InetSocketAddress local) throws IOException {
    DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
    try {
      ch.bind(local);
      ch.configureBlocking(false);
      ch.register(selector, SelectionKey.OP_READ, local);
    } catch (IOException e) {
      ch.close();
      throw new IOException("cannot bind " + local + ": " + e.getMessage(), e);
    }
    channels.put(local, ch);
  }

  @Override
  public void send(InetSocketAddress local, InetSocketAddress remote, byte[] ikeMessage) {
    DatagramChannel ch = channels.get(local);
    if (ch == null) {
      sendFailures.incrementAndGet();
      log.warn("no socket bound to {}", local);
      return;
    }
    ByteBuffer b;
    if (local.getPort() == NATT_PORT) {
      b = ByteBuffer.allocate(4 + ikeMessage.length);
      b.putInt(0).put(ikeMessage).flip();
    } else {
      b = ByteBuffer.wrap(ikeMessage);
    }
    try {
      if (ch.send(b, remote) == 0) {
        sendFailures.incrementAndGet(); // socket buffer full: IKE retransmits
      }
    } catch (IOException e) {
      sendFailures.incrementAndGet();
      if (!closed) {
        log.debug("send {} -> {} failed: {}", local, remote, e.toString());
      }
    }
  }

  @Override
  public void setReceiver(Receiver receiver) {
    this.receiver = receiver;
  }

  public int sockets() {
    return channels.size();
  }

  public long espDropped() {
    return espDropped.get();
  }

  public long sendFailures() {
    return sendFailures.get();
  }

  private void loop() {
    ByteBuffer buf = ByteBuffer.allocate(65536);
    while (!closed) {
      try {
        selector.select();
        var keys = selector.selectedKeys();
        for (SelectionKey k : keys) {
          drain((DatagramChannel) k.channel(), (InetSocketAddress) k.attachment(), buf);
        }
        keys.clear();
      } catch (ClosedSelectorException e) {
        return;
      } catch (IOException | RuntimeException e) {
        if (!closed) {
          log.warn("load generator receive failed", e);
        }
      }
    }
  }

  private void drain(DatagramChannel ch, InetSocketAddress local, ByteBuffer buf) throws IOException {
    while (true) {
      buf.clear();
      var from = (InetSocketAddress) ch.receive(buf);
      if (from == null) {
        return;
      }
      buf.flip();
      byte[] d = new byte[buf.remaining()];
      buf.get(d);
      if (local.getPort() == NATT_PORT) {
        if (d.length < 4 || d[0] != 0 || d[1] != 0 || d[2] != 0 || d[3] != 0) {
          espDropped.incrementAndGet(); // ESP or a keepalive: no data path here
          continue;
        }
        d = Arrays.copyOfRange(d, 4, d.length);
      }
      receiver.onIkeMessage(d, local, from);
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      selector.close();
    } catch (IOException e) {
      log.debug("close selector", e);
    }
    for (DatagramChannel ch : channels.values()) {
      try {
        ch.close();
      } catch (IOException e) {
        log.debug("close channel", e);
      }
    }
  }
}
