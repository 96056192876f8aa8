package dev.vpngw.dataplane.testsupport;

import dev.vpngw.dataplane.net.Libc;
import dev.vpngw.dataplane.net.NetNs;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.LongAdder;

/**
 * A tcpdump-free look at one interface: an AF_PACKET socket (opened inside the interface's
 * namespace via {@link NetNs}) that sees every IPv4 packet sent or received there, and counts
 * the UDP 4500 datagrams and any packet a predicate flags (e.g. plaintext that should have been
 * encrypted). Reads run on a daemon thread until {@link #close()}.
 */
public final class WireTap implements AutoCloseable {
  private static final int AF_PACKET = 17;
  private static final int SOCK_DGRAM = 2;
  private static final short ETH_P_ALL_BE = 0x0300; // htons(0x0003)

  private final int fd;
  private final Thread reader;
  private volatile boolean closed;
  public final LongAdder ipv4 = new LongAdder();
  public final LongAdder udp4500 = new LongAdder();
  public final LongAdder flagged = new LongAdder();

  private WireTap(int fd, java.util.function.Predicate<byte[]> flag) {
    this.fd = fd;
    this.reader = Thread.ofPlatform().daemon().name("wiretap").start(() -> loop(flag));
  }

  /** Taps {@code ifName} in namespace {@code ns}; {@code flag} sees each IPv4 packet (copy). */
  public static WireTap open(TestNetwork net, String ns, String ifName, java.util.function.Predicate<byte[]> flag) {
    int ifIndex = Integer.parseInt(net.exec(ns, "cat", "/sys/class/net/" + ifName + "/ifindex").trim());
    int fd = NetNs.runIn(ns, () -> {
      int s = Libc.socket(AF_PACKET, SOCK_DGRAM, ETH_P_ALL_BE);
      if (s < 0) {
        throw new IllegalStateException("AF_PACKET socket failed, errno " + Libc.Errno.last());
      }
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment sll = arena.allocate(20);
        sll.set(ValueLayout.JAVA_SHORT, 0, (short) AF_PACKET);
        sll.set(ValueLayout.JAVA_SHORT, 2, ETH_P_ALL_BE);
        sll.set(ValueLayout.JAVA_INT, 4, ifIndex);
        if (Libc.bind(s, sll, 20) != 0) {
          throw new IllegalStateException("bind AF_PACKET to " + ifName + " failed, errno " + Libc.Errno.last());
        }
      }
      int fl = Libc.fcntl(s, Libc.F_GETFL, 0);
      Libc.fcntl(s, Libc.F_SETFL, fl | Libc.O_NONBLOCK);
      return s;
    });
    return new WireTap(fd, flag);
  }

  private void loop(java.util.function.Predicate<byte[]> flag) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buf = arena.allocate(65536);
      MemorySegment pfd = arena.allocate(8);
      pfd.set(ValueLayout.JAVA_INT, 0, fd);
      pfd.set(ValueLayout.JAVA_SHORT, 4, Libc.POLLIN);
      while (!closed) {
        long n = Libc.read(fd, buf, buf.byteSize());
        if (n < 0) {
          if (Libc.Errno.last() == Libc.EAGAIN) {
            Libc.poll(pfd, 1, 50);
            continue;
          }
          return;
        }
        byte[] p = buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
        if (n < 20 || (p[0] >>> 4 & 0xF) != 4) {
          continue;
        }
        ipv4.increment();
        int ihl = (p[0] & 0xF) * 4;
        if (p[9] == 17 && n >= ihl + 4 && (((p[ihl + 2] & 0xFF) << 8) | (p[ihl + 3] & 0xFF)) == 4500) {
          udp4500.increment();
        }
        if (flag.test(p)) {
          flagged.increment();
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      reader.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Libc.close(fd);
  }
}
