package dev.vpngw.dataplane.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP 4500 endpoint shared by ESP and IKE (RFC 3948): {@code queues} IPv4 datagram channels
 * bound to the same address with SO_REUSEPORT, so the kernel spreads peers over packet threads.
 * Implements {@link IkeTransport} for the 4500 side: IKE is sent with the non-ESP marker and
 * received datagrams that carry it are handed to the {@link IkeTransport.Receiver} without it.
 *
 * <p>Open it inside the gateway's network namespace (see {@link NetNs#runIn}); the packet threads
 * of {@link dev.vpngw.dataplane.packet.EspDataPath} run the receive loops.
 *
 * <p>Allocation: {@link DatagramChannel#receive} returns a cached {@code InetSocketAddress} while
 * consecutive datagrams come from the same source (JDK 17+), so one peer per queue costs nothing;
 * alternating sources allocate one address object per change.
 */
public final class EspUdpSocket implements IkeTransport {
  private static final Logger LOG = LoggerFactory.getLogger(EspUdpSocket.class);
  private static final byte[] NON_ESP_MARKER = new byte[4];

  private final InetSocketAddress local;
  private final List<DatagramChannel> channels;
  private volatile Receiver receiver;
  private final LongAdder ikeReceived = new LongAdder();
  private final LongAdder keepalivesReceived = new LongAdder();
  private final LongAdder invalidReceived = new LongAdder();
  private final LongAdder espReceived = new LongAdder();
  private final LongAdder espSent = new LongAdder();

  private EspUdpSocket(InetSocketAddress local, List<DatagramChannel> channels) {
    this.local = local;
    this.channels = List.copyOf(channels);
  }

  /** Binds {@code queues} channels to {@code local} (port 0 picks one port for all) in the calling thread's netns. */
  public static EspUdpSocket open(InetSocketAddress local, int queues) {
    if (queues < 1 || queues > 64) {
      throw new IllegalArgumentException("queues " + queues + " must be 1..64");
    }
    List<DatagramChannel> opened = new ArrayList<>();
    InetSocketAddress bound = local;
    try {
      for (int i = 0; i < queues; i++) {
        DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
        opened.add(ch);
        ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        ch.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        ch.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
        ch.bind(bound);
        bound = (InetSocketAddress) ch.getLocalAddress();
      }
    } catch (IOException e) {
      opened.forEach(EspUdpSocket::closeQuietly);
      throw new UncheckedIOException("cannot bind UDP " + local + ": " + e.getMessage(), e);
    }
    return new EspUdpSocket(bound, opened);
  }

  public InetSocketAddress localAddress() {
    return local;
  }

  public int queueCount() {
    return channels.size();
  }

  public DatagramChannel channel(int queue) {
    return channels.get(queue);
  }

  @Override
  public void send(InetSocketAddress from, InetSocketAddress remote, byte[] ikeMessage) {
    if (from != null && from.getPort() != local.getPort()) {
      throw new IllegalArgumentException("this transport sends from port " + local.getPort() + ", not " + from);
    }
    ByteBuffer bb = ByteBuffer.allocate(4 + ikeMessage.length).put(NON_ESP_MARKER).put(ikeMessage).flip();
    try {
      channels.getFirst().send(bb, remote);
    } catch (IOException e) {
      LOG.warn("IKE send to {} failed: {}", remote, e.toString());
    }
  }

  /** One NAT-keepalive (a single 0xFF byte, RFC 3948 §2.3) to {@code remote}. */
  public void sendKeepalive(InetSocketAddress remote) {
    try {
      channels.getFirst().send(ByteBuffer.wrap(new byte[] {(byte) 0xFF}), remote);
    } catch (IOException e) {
      LOG.debug("NAT keepalive to {} failed: {}", remote, e.toString());
    }
  }

  /** Sends an ESP packet (SPI first) from {@code bb.position()} to {@code bb.limit()}. */
  public boolean sendEsp(int queue, ByteBuffer bb, InetSocketAddress remote) {
    try {
      channels.get(queue).send(bb, remote);
      espSent.increment();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void setReceiver(Receiver receiver) {
    this.receiver = receiver;
  }

  /**
   * Dispatches a received datagram that is not ESP: IKE to the receiver (marker stripped),
   * keepalives and junk counted and dropped.
   *
   * @return true if the datagram is ESP and the caller should process it
   */
  public boolean dispatch(byte[] b, int off, int len, InetSocketAddress from) {
    switch (Udp4500.classify(b, off, len)) {
      case Udp4500.ESP -> {
        espReceived.increment();
        return true;
      }
      case Udp4500.IKE -> {
        ikeReceived.increment();
        Receiver r = receiver;
        if (r != null) {
          byte[] msg = java.util.Arrays.copyOfRange(b, off + 4, off + len);
          try {
            r.onIkeMessage(msg, local, from);
          } catch (RuntimeException e) {
            LOG.warn("IKE receiver failed on message from {}: {}", from, e.toString());
          }
        }
        return false;
      }
      case Udp4500.KEEPALIVE -> {
        keepalivesReceived.increment();
        return false;
      }
      default -> {
        invalidReceived.increment();
        return false;
      }
    }
  }

  public long ikeReceived() {
    return ikeReceived.sum();
  }

  public long keepalivesReceived() {
    return keepalivesReceived.sum();
  }

  public long invalidReceived() {
    return invalidReceived.sum();
  }

  public long espReceived() {
    return espReceived.sum();
  }

  public long espSent() {
    return espSent.sum();
  }

  @Override
  public void close() {
    channels.forEach(EspUdpSocket::closeQuietly);
  }

  private static void closeQuietly(DatagramChannel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // closing; nothing to do
    }
  }
}
