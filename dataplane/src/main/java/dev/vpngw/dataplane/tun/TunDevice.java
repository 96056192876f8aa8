package dev.vpngw.dataplane.tun;

import dev.vpngw.dataplane.net.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A Linux TUN interface opened through {@code java.lang.foreign}: open("/dev/net/tun") and ioctl
 * TUNSETIFF with IFF_TUN | IFF_NO_PI | IFF_MULTI_QUEUE | IFF_VNET_HDR, once per queue. Each
 * {@link TunQueue} is its own file descriptor; the kernel spreads flows over queues, so one packet
 * thread per queue scales across cores.
 *
 * <p>Offloads: every packet carries a {@link VirtioNetHdr}; TUNSETOFFLOAD asks for checksum offload
 * and TCP segmentation offload (TSO4), so one read can return a 64 kB TCP super-segment and locally
 * forwarded packets may arrive with only a partial (pseudo-header) checksum. If the kernel refuses,
 * the device works without them (logged once). {@code VPNGW_TUN_OFFLOAD=off} turns them off (for
 * benchmarks that attribute the gain). The device lives in the network namespace of the thread that opened it (see
 * {@link dev.vpngw.dataplane.net.NetNs}). Addresses, routes and MTU are set by the control plane
 * with {@code ip}, never on the packet path.
 */
public final class TunDevice implements AutoCloseable {
  /** _IOW('T', 202, int). */
  static final long TUNSETIFF = 0x400454caL;
  static final short IFF_TUN = 0x0001;
  static final short IFF_NO_PI = 0x1000;
  static final short IFF_MULTI_QUEUE = 0x0100;
  static final short IFF_VNET_HDR = 0x4000;
  /** _IOW('T', 208, unsigned int). */
  static final long TUNSETOFFLOAD = 0x400454d0L;
  public static final int TUN_F_CSUM = 0x01;
  public static final int TUN_F_TSO4 = 0x02;
  static final int IFNAMSIZ = 16;
  static final int IFREQ_SIZE = 40;
  /** Default MTU on the TUN: ESP-in-UDP overhead (≤ 73 bytes for AES-CBC/SHA-384) fits a 1500 path. */
  public static final int DEFAULT_MTU = 1400;

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TunDevice.class);

  private final String name;
  private final List<TunQueue> queues;
  private final int offloads;

  private TunDevice(String name, List<TunQueue> queues, int offloads) {
    this.name = name;
    this.queues = List.copyOf(queues);
    this.offloads = offloads;
  }

  /**
   * Creates (or attaches to) TUN device {@code name} with {@code queueCount} queues in the calling
   * thread's network namespace.
   */
  public static TunDevice open(String name, int queueCount) {
    return open(name, queueCount, !"off".equalsIgnoreCase(System.getenv("VPNGW_TUN_OFFLOAD")));
  }

  /** As {@link #open(String, int)}; {@code offloads = false} never asks for them (the refused-offload path). */
  public static TunDevice open(String name, int queueCount, boolean offloads) {
    byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
    if (nameBytes.length == 0 || nameBytes.length >= IFNAMSIZ) {
      throw new IllegalArgumentException("TUN name '" + name + "' must be 1-15 ASCII characters");
    }
    if (queueCount < 1 || queueCount > 64) {
      throw new IllegalArgumentException("queueCount " + queueCount + " must be 1..64");
    }
    List<TunQueue> opened = new ArrayList<>();
    try (Arena arena = Arena.ofConfined()) {
      for (int i = 0; i < queueCount; i++) {
        int fd = Libc.open("/dev/net/tun", Libc.O_RDWR | Libc.O_CLOEXEC);
        if (fd < 0) {
          throw new IllegalStateException("open /dev/net/tun failed, errno " + Libc.Errno.last());
        }
        MemorySegment ifr = arena.allocate(IFREQ_SIZE);
        MemorySegment.copy(nameBytes, 0, ifr, ValueLayout.JAVA_BYTE, 0, nameBytes.length);
        ifr.set(ValueLayout.JAVA_SHORT, IFNAMSIZ, (short) (IFF_TUN | IFF_NO_PI | IFF_MULTI_QUEUE | IFF_VNET_HDR));
        if (Libc.ioctl(fd, TUNSETIFF, ifr) < 0) {
          int errno = Libc.Errno.last();
          Libc.close(fd);
          throw new IllegalStateException("ioctl TUNSETIFF " + name + " failed, errno " + errno);
        }
        int fl = Libc.fcntl(fd, Libc.F_GETFL, 0);
        // Non-blocking so a reader can wake up periodically and notice close().
        Libc.fcntl(fd, Libc.F_SETFL, fl | Libc.O_NONBLOCK);
        opened.add(new TunQueue(name, i, fd));
      }
    } catch (RuntimeException e) {
      opened.forEach(TunQueue::close);
      throw e;
    }
    return new TunDevice(name, opened, offloads ? enableOffloads(name, opened.getFirst()) : 0);
  }

  /** Asks for CSUM + TSO4, then CSUM alone; returns what the kernel accepted (device-wide). */
  private static int enableOffloads(String name, TunQueue q) {
    for (int want : new int[] {TUN_F_CSUM | TUN_F_TSO4, TUN_F_CSUM}) {
      if (Libc.ioctl(q.fd(), TUNSETOFFLOAD, MemorySegment.ofAddress(want)) == 0) {
        if (want != (TUN_F_CSUM | TUN_F_TSO4)) {
          LOG.warn("TUN {}: kernel refused TSO4 offload; reading one packet per read", name);
        }
        return want;
      }
    }
    LOG.warn("TUN {}: kernel refused TUNSETOFFLOAD (errno {}); no checksum or segmentation offload", name,
        Libc.Errno.last());
    return 0;
  }

  /** TUN_F_* offloads the kernel accepted. */
  public int offloads() {
    return offloads;
  }

  public String name() {
    return name;
  }

  public int queueCount() {
    return queues.size();
  }

  public TunQueue queue(int i) {
    return queues.get(i);
  }

  @Override
  public void close() {
    queues.forEach(TunQueue::close);
  }
}
