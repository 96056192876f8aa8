package dev.vpngw.dataplane.packet;

import dev.vpngw.dataplane.esp.Drop;
import dev.vpngw.dataplane.esp.EspEngine;
import dev.vpngw.dataplane.net.EspUdpSocket;
import dev.vpngw.dataplane.routing.ForwardingLookup;
import dev.vpngw.dataplane.tun.TunDevice;
import dev.vpngw.dataplane.tun.TunQueue;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The packet pipeline: per queue one outbound thread (TUN read → MSS clamp → ForwardingLookup →
 * ESP encapsulate → UDP send) and one inbound thread (UDP receive → 4500 demux → ESP decapsulate →
 * MSS clamp → TUN write). With a multi-queue TUN and SO_REUSEPORT sockets, queues scale over cores.
 *
 * <p>Nothing is allocated per packet here: each thread owns one {@link PacketBuffer} and one
 * {@link ByteBuffer} view of it for the socket. Worker indices given to the engine: outbound
 * thread i uses i, inbound thread i uses queues + i, so the engine needs {@code 2 × queues} workers.
 */
public final class EspDataPath implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EspDataPath.class);
  /** Large enough for any UDP datagram, so a big one is never silently truncated. */
  private static final int BUFFER = 65536 + PacketBuffer.HEADROOM;

  private final TunDevice tun;
  private final EspUdpSocket udp;
  private final EspEngine engine;
  private final ForwardingLookup fib;
  private final TcpMssClamp clamp;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running;

  public EspDataPath(TunDevice tun, EspUdpSocket udp, EspEngine engine, ForwardingLookup fib, TcpMssClamp clamp) {
    if (tun.queueCount() != udp.queueCount()) {
      throw new IllegalArgumentException("TUN queues (" + tun.queueCount() + ") and UDP queues ("
          + udp.queueCount() + ") must match");
    }
    if (engine.workers() < 2 * tun.queueCount()) {
      throw new IllegalArgumentException("engine has " + engine.workers() + " workers, needs " + 2 * tun.queueCount());
    }
    this.tun = tun;
    this.udp = udp;
    this.engine = engine;
    this.fib = fib;
    this.clamp = clamp;
  }

  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    int queues = tun.queueCount();
    for (int q = 0; q < queues; q++) {
      int queue = q;
      threads.add(Thread.ofPlatform().name("esp-out-" + tun.name() + "-" + q).daemon()
          .start(() -> outboundLoop(queue, queue)));
      threads.add(Thread.ofPlatform().name("esp-in-" + tun.name() + "-" + q).daemon()
          .start(() -> inboundLoop(queue, queues + queue)));
    }
  }

  private void outboundLoop(int queue, int worker) {
    TunQueue tq = tun.queue(queue);
    PacketBuffer pb = new PacketBuffer(BUFFER);
    ByteBuffer view = ByteBuffer.wrap(pb.data);
    byte[] b = pb.data;
    int start = PacketBuffer.HEADROOM;
    int maxRead = BUFFER - start - 64;
    try {
      while (running) {
        int n = tq.read(b, start, maxRead);
        if (n < 0) {
          break;
        }
        if (!Ipv4.isValid(b, start, n)) {
          engine.countDrop(Drop.NOT_IPV4);
          continue;
        }
        int len = Ipv4.totalLength(b, start);
        clamp.apply(b, start, len);
        int slot = fib.lookup(Ipv4.dst(b, start), Ipv4.flowHash(b, start, len));
        if (slot == ForwardingLookup.NO_ROUTE) {
          engine.countDrop(Drop.NO_ROUTE);
          continue;
        }
        pb.set(start, len);
        if (engine.encapsulate(slot, pb, worker) != null) {
          continue;
        }
        view.limit(pb.offset + pb.length).position(pb.offset);
        if (!udp.sendEsp(queue, view, pb.peer)) {
          engine.countDrop(Drop.UDP_SEND);
        }
      }
    } catch (RuntimeException e) {
      if (running) {
        LOG.error("outbound packet thread {} died", Thread.currentThread().getName(), e);
      }
    }
  }

  private void inboundLoop(int queue, int worker) {
    TunQueue tq = tun.queue(queue);
    DatagramChannel ch = udp.channel(queue);
    PacketBuffer pb = new PacketBuffer(BUFFER);
    ByteBuffer view = ByteBuffer.wrap(pb.data);
    byte[] b = pb.data;
    try {
      while (running) {
        view.clear();
        SocketAddress from = ch.receive(view);
        int len = view.position();
        InetSocketAddress peer = (InetSocketAddress) from;
        if (!udp.dispatch(b, 0, len, peer)) {
          continue;
        }
        pb.set(0, len);
        if (engine.decapsulate(pb, worker, peer) != null) {
          continue;
        }
        clamp.apply(b, pb.offset, pb.length);
        if (!tq.write(b, pb.offset, pb.length)) {
          engine.countDrop(Drop.TUN_WRITE);
        }
      }
    } catch (ClosedChannelException e) {
      // close() closed the socket: normal shutdown
    } catch (IOException | RuntimeException e) {
      if (running) {
        LOG.error("inbound packet thread {} died", Thread.currentThread().getName(), e);
      }
    }
  }

  /** Stops the packet threads and closes the UDP socket and the TUN device. */
  @Override
  public synchronized void close() {
    running = false;
    udp.close();
    tun.close();
    for (Thread t : threads) {
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    threads.clear();
  }
}
