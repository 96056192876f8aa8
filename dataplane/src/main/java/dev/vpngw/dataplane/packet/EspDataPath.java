package dev.vpngw.dataplane.packet;

import dev.vpngw.dataplane.esp.Drop;
import dev.vpngw.dataplane.esp.EspEngine;
import dev.vpngw.dataplane.net.EspUdpSocket;
import dev.vpngw.dataplane.routing.ForwardingLookup;
import dev.vpngw.dataplane.tun.TunDevice;
import dev.vpngw.dataplane.tun.TunQueue;
import dev.vpngw.dataplane.tun.VirtioNetHdr;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The packet pipeline: per queue one outbound thread and one inbound thread.
 *
 * <p>Outbound: one TUN read yields a frame — a single packet or, with TSO, a TCP super-segment of
 * up to 64 kB — which {@link TcpSegmenter} cuts into MSS-sized segments in place (the MSS clamp
 * caps the segment size); each is MSS-clamped (SYNs), looked up in the {@link ForwardingLookup} and
 * ESP-encapsulated straight into a send batch, and the batch leaves in one {@code sendmsg} with UDP
 * GSO (equal-sized datagrams, the last may be shorter).
 *
 * <p>Inbound: one {@code recvmsg} yields one datagram or, with UDP GRO, many of one size; each is
 * demultiplexed (IKE/keepalive/ESP), decrypted in place and MSS-clamped; consecutive TCP segments
 * of one flow are merged by {@link TcpCoalescer} into one TUN write with a GSO header, anything
 * else is written alone.
 *
 * <p>Per 64 kB of bulk TCP that is 1 TUN read + 1 UDP send on one side and 1 UDP receive + 1 TUN
 * write on the other, instead of ~45 of each. Nothing is allocated per packet: each thread owns its
 * buffers; worker indices given to the engine: outbound thread i uses i, inbound thread i uses
 * queues + i, so the engine needs {@code 2 × queues} workers.
 */
public final class EspDataPath implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EspDataPath.class);
  /** Where frames are read: room in front for nothing but alignment; segments are built in place. */
  private static final int FRAME_AT = 64;
  /** Room after a frame for the ESP trailer written briefly behind the last segment. */
  private static final int TAIL = 64;
  /** Where received datagrams are put: each is decrypted in place, the TUN header goes in front of the inner packet. */
  private static final int RX_AT = 64;
  /** Upper bound of ESP overhead per datagram (header, IV, padding, trailer, ICV). */
  private static final int ESP_OVERHEAD_MAX = 8 + 16 + 15 + 2 + 32;

  private final TunDevice tun;
  private final EspUdpSocket udp;
  private final EspEngine engine;
  private final ForwardingLookup fib;
  private final TcpMssClamp clamp;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running;
  private volatile boolean coalesceOff = "off".equalsIgnoreCase(System.getenv("VPNGW_TUN_GRO"));
  private final LongAdder framesRead = new LongAdder();
  private final LongAdder segmentsOut = new LongAdder();
  private final LongAdder udpSends = new LongAdder();
  private final LongAdder udpReceives = new LongAdder();
  private final LongAdder datagramsIn = new LongAdder();
  private final LongAdder framesWritten = new LongAdder();
  private final LongAdder packetsWritten = new LongAdder();

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
          .start(() -> new Outbound(queue, queue).run()));
      threads.add(Thread.ofPlatform().name("esp-in-" + tun.name() + "-" + q).daemon()
          .start(() -> new Inbound(queue, queues + queue).run()));
    }
    String every = System.getenv("VPNGW_PATH_STATS_SECONDS");
    if (every != null && every.matches("[1-9][0-9]{0,3}")) {
      long ms = Long.parseLong(every) * 1000;
      threads.add(Thread.ofPlatform().name("esp-stats-" + tun.name()).daemon().start(() -> {
        while (running) {
          try {
            Thread.sleep(ms);
          } catch (InterruptedException e) {
            return;
          }
          LOG.info("packet path {}: {}", tun.name(), stats());
        }
      }));
    }
  }

  /** Writes one packet per TUN write (no GRO merge), e.g. when offloads are off. */
  public void coalesceOff() {
    coalesceOff = true;
  }

  /** Batching figures since start: how many packets each syscall carried. */
  public record Stats(long tunReads, long segmentsSent, long udpSends, long udpReceives, long datagramsReceived,
      long tunWrites, long packetsWritten) {
    @Override
    public String toString() {
      return String.format("TUN reads %d -> %d ESP datagrams in %d UDP sends (%.1f/send); UDP receives %d -> %d"
          + " datagrams (%.1f/receive) -> %d packets in %d TUN writes (%.1f/write)", tunReads, segmentsSent, udpSends,
          ratio(segmentsSent, udpSends), udpReceives, datagramsReceived, ratio(datagramsReceived, udpReceives),
          packetsWritten, tunWrites, ratio(packetsWritten, tunWrites));
    }

    private static double ratio(long a, long b) {
      return b == 0 ? 0 : (double) a / b;
    }
  }

  public Stats stats() {
    return new Stats(framesRead.sum(), segmentsOut.sum(), udpSends.sum(), udpReceives.sum(), datagramsIn.sum(),
        framesWritten.sum(), packetsWritten.sum());
  }

  /** TUN → ESP → UDP for one queue. */
  private final class Outbound {
    private final int worker;
    private final TunQueue tq;
    private final EspUdpSocket.BatchSender tx;
    private final PacketBuffer pb = new PacketBuffer(FRAME_AT + TunQueue.MAX_FRAME + TAIL);
    private final TcpSegmenter segmenter = new TcpSegmenter();
    /** The send batch: ESP datagrams back to back in [batchStart, batchEnd). */
    private final byte[] batch = new byte[2 * EspUdpSocket.MAX_BATCH_BYTES];
    private int batchStart;
    private int batchEnd;
    private int batchCount;
    private int batchSegment;
    private InetSocketAddress batchPeer;

    Outbound(int queue, int worker) {
      this.worker = worker;
      this.tq = tun.queue(queue);
      this.tx = udp.sender(queue);
    }

    void run() {
      byte[] b = pb.data;
      int pkt = FRAME_AT + VirtioNetHdr.LENGTH;
      try {
        while (running) {
          int n = tq.readFrame(b, FRAME_AT, b.length - FRAME_AT - TAIL);
          if (n < 0) {
            break;
          }
          framesRead.increment();
          pb.batchNanos = System.nanoTime();
          int len = n - VirtioNetHdr.LENGTH;
          if (len <= 0 || !Ipv4.isValid(b, pkt, len)) {
            engine.countDrop(Drop.NOT_IPV4);
            continue;
          }
          int gso = VirtioNetHdr.gsoType(b, FRAME_AT) & ~VirtioNetHdr.GSO_ECN;
          if (gso == VirtioNetHdr.GSO_NONE) {
            single(b, pkt, len);
          } else if (gso == VirtioNetHdr.GSO_TCPV4) {
            superSegment(b, pkt, len, VirtioNetHdr.gsoSize(b, FRAME_AT));
          } else {
            engine.countDrop(Drop.NOT_IPV4);
          }
          flush();
        }
      } catch (RuntimeException e) {
        if (running) {
          LOG.error("outbound packet thread {} died", Thread.currentThread().getName(), e);
        }
      }
    }

    private void single(byte[] b, int pkt, int len) {
      if ((VirtioNetHdr.flags(b, FRAME_AT) & VirtioNetHdr.F_NEEDS_CSUM) != 0
          && !Checksum.completePartial(b, pkt, len, VirtioNetHdr.csumStart(b, FRAME_AT),
              VirtioNetHdr.csumOffset(b, FRAME_AT))) {
        engine.countDrop(Drop.NOT_IPV4);
        return;
      }
      int plen = Ipv4.totalLength(b, pkt);
      clamp.apply(b, pkt, plen);
      int slot = fib.lookup(Ipv4.dst(b, pkt), Ipv4.flowHash(b, pkt, plen));
      if (slot == ForwardingLookup.NO_ROUTE) {
        engine.countDrop(Drop.NO_ROUTE);
        return;
      }
      pb.set(pkt, plen);
      seal(slot);
    }

    private void superSegment(byte[] b, int pkt, int len, int gsoSize) {
      int slot = fib.lookup(Ipv4.dst(b, pkt), Ipv4.flowHash(b, pkt, len));
      if (slot == ForwardingLookup.NO_ROUTE) {
        engine.countDrop(Drop.NO_ROUTE);
        return;
      }
      // The clamp caps what one segment may carry even if the sender's MSS was larger.
      if (!segmenter.begin(b, pkt, len, Math.min(gsoSize, clamp.maxMss()))) {
        engine.countDrop(Drop.NOT_IPV4);
        return;
      }
      while (segmenter.hasNext()) {
        segmenter.next(pb);
        seal(slot);
      }
    }

    /** Encapsulates pb into the batch; sends what came before when this datagram cannot join it. */
    private void seal(int slot) {
      int room = pb.length + ESP_OVERHEAD_MAX;
      if (batchCount == EspUdpSocket.MAX_SEGMENTS
          || batchEnd - batchStart + room > EspUdpSocket.MAX_BATCH_BYTES || batchEnd + room > batch.length) {
        flush();
      }
      if (engine.encapsulateInto(slot, pb, worker, batch, batchEnd) != null) {
        return;
      }
      int esp = pb.sealedLength;
      if (batchCount > 0 && (pb.peer != batchPeer || esp > batchSegment)) {
        int at = batchEnd;
        send();
        batchStart = at;
        batchEnd = at;
      }
      if (batchCount == 0) {
        batchSegment = esp;
        batchPeer = pb.peer;
      }
      batchEnd += esp;
      batchCount++;
      if (esp < batchSegment) {
        flush(); // only the last datagram of a GSO batch may be shorter
      }
    }

    private void send() {
      int failed = tx.send(batch, batchStart, batchEnd - batchStart,
          batchCount == 1 ? batchEnd - batchStart : batchSegment, batchPeer);
      udpSends.increment();
      segmentsOut.add(batchCount);
      for (int i = 0; i < failed; i++) {
        engine.countDrop(Drop.UDP_SEND);
      }
      batchCount = 0;
    }

    private void flush() {
      if (batchCount > 0) {
        send();
      }
      batchStart = 0;
      batchEnd = 0;
    }
  }

  /** UDP → ESP → TUN for one queue. */
  private final class Inbound {
    private final int worker;
    private final TunQueue tq;
    private final EspUdpSocket.BatchReceiver rx;
    private final PacketBuffer pb = new PacketBuffer(RX_AT + EspUdpSocket.MAX_BATCH_BYTES + 64);
    private final TcpCoalescer coalescer = new TcpCoalescer();

    Inbound(int queue, int worker) {
      this.worker = worker;
      this.tq = tun.queue(queue);
      this.rx = udp.receiver(queue);
    }

    void run() {
      byte[] b = pb.data;
      try {
        while (running) {
          int n = rx.receive(b, RX_AT);
          if (n < 0) {
            break;
          }
          udpReceives.increment();
          pb.batchNanos = System.nanoTime();
          int seg = Math.max(1, rx.segmentSize());
          int datagrams = 0;
          int esp = 0;
          InetSocketAddress from = rx.source();
          boolean coalesce = n > seg && !coalesceOff;
          int end = RX_AT + n;
          for (int at = RX_AT; at < end || at == RX_AT; at += seg) {
            datagrams++;
            int dl = Math.min(seg, end - at);
            if (!udp.dispatchUncounted(b, at, dl, from)) {
              continue;
            }
            esp++;
            pb.set(at, dl);
            if (engine.decapsulate(pb, worker, from) != null) {
              continue;
            }
            int p = pb.offset;
            int l = pb.length;
            clamp.apply(b, p, l);
            if (coalesce) {
              if (coalescer.offer(b, p, l)) {
                continue;
              }
              writeMerged();
              if (coalescer.offer(b, p, l)) {
                continue;
              }
            }
            // The ESP header and IV in front of the inner packet are spent: the TUN header goes there.
            VirtioNetHdr.putNone(b, p - VirtioNetHdr.LENGTH);
            write(b, p - VirtioNetHdr.LENGTH, l + VirtioNetHdr.LENGTH, 1);
          }
          writeMerged();
          datagramsIn.add(datagrams);
          udp.countEspReceived(esp);
        }
      } catch (RuntimeException e) {
        if (running) {
          LOG.error("inbound packet thread {} died", Thread.currentThread().getName(), e);
        }
      }
    }

    private void writeMerged() {
      int packets = coalescer.pending();
      int n = coalescer.finish();
      if (n > 0) {
        write(coalescer.frame(), 0, n, packets);
      }
    }

    private void write(byte[] frame, int off, int len, int packets) {
      framesWritten.increment();
      if (tq.writeFrame(frame, off, len)) {
        packetsWritten.add(packets);
        return;
      }
      for (int i = 0; i < packets; i++) {
        engine.countDrop(Drop.TUN_WRITE);
      }
      if (packets > 1 && !coalesceOff) {
        coalesceOff = true;
        LOG.warn("TUN {}: kernel refused a GSO write (errno {}); writing one packet per write from now on",
            tun.name(), TunQueue.lastErrno());
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
    if (!threads.isEmpty()) {
      LOG.info("packet path {} closed: {}", tun.name(), stats());
    }
    threads.clear();
  }
}
