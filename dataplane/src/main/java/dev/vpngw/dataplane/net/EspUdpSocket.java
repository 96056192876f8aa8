package dev.vpngw.dataplane.net;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP 4500 endpoint shared by ESP and IKE (RFC 3948): {@code queues} IPv4 UDP sockets bound to
 * the same address with SO_REUSEPORT, so the kernel spreads peers over packet threads. Implements
 * {@link IkeTransport} for the 4500 side: IKE is sent with the non-ESP marker and received
 * datagrams that carry it are handed to the {@link IkeTransport.Receiver} without it.
 *
 * <p>The sockets are native ({@code java.lang.foreign}) so the packet path can batch: a
 * {@link BatchSender} sends many equal-sized ESP datagrams in one {@code sendmsg} with
 * {@code UDP_SEGMENT} (UDP GSO), and a {@link BatchReceiver} takes many in one {@code recvmsg}
 * with {@code UDP_GRO} (the kernel coalesces datagrams of one flow and reports their size). When
 * the kernel refuses either, the socket falls back to one datagram per call (logged once).
 * {@code VPNGW_UDP_GSO=off} / {@code VPNGW_UDP_GRO=off} turn them off for benchmarks.
 *
 * <p>Open it inside the gateway's network namespace (see {@link NetNs#runIn}); the packet threads
 * of {@link dev.vpngw.dataplane.packet.EspDataPath} run the receive loops.
 */
public final class EspUdpSocket implements IkeTransport {
  private static final Logger LOG = LoggerFactory.getLogger(EspUdpSocket.class);
  /** Most datagrams one GSO send may carry (the kernel's UDP_MAX_SEGMENTS is 64 or more). */
  public static final int MAX_SEGMENTS = 64;
  /** Largest UDP payload of one (GSO) send or (GRO) receive. */
  public static final int MAX_BATCH_BYTES = 65507;
  private static final int SOCKADDR_IN = 16;
  private static final int RECEIVE_TIMEOUT_MILLIS = 100;

  private final InetSocketAddress local;
  private final int[] fds;
  private final boolean groEnabled;
  private final boolean heapSendEnabled = !"off".equalsIgnoreCase(System.getenv("VPNGW_UDP_HEAP_SEND"));
  private volatile boolean gsoEnabled;
  private volatile boolean closed;
  private volatile Receiver receiver;
  private final LongAdder ikeReceived = new LongAdder();
  private final LongAdder keepalivesReceived = new LongAdder();
  private final LongAdder invalidReceived = new LongAdder();
  private final LongAdder espReceived = new LongAdder();
  private final LongAdder espSent = new LongAdder();

  private EspUdpSocket(InetSocketAddress local, int[] fds, boolean gso, boolean gro) {
    this.local = local;
    this.fds = fds;
    this.gsoEnabled = gso;
    this.groEnabled = gro;
  }

  /** Binds {@code queues} sockets to {@code local} (port 0 picks one port for all) in the calling thread's netns. */
  public static EspUdpSocket open(InetSocketAddress local, int queues) {
    return open(local, queues, !"off".equalsIgnoreCase(System.getenv("VPNGW_UDP_GSO")),
        !"off".equalsIgnoreCase(System.getenv("VPNGW_UDP_GRO")));
  }

  /** As {@link #open(InetSocketAddress, int)} with GSO sends and GRO receives on or off. */
  public static EspUdpSocket open(InetSocketAddress local, int queues, boolean gso, boolean gro) {
    if (queues < 1 || queues > 64) {
      throw new IllegalArgumentException("queues " + queues + " must be 1..64");
    }
    if (!(local.getAddress() instanceof Inet4Address)) {
      throw new IllegalArgumentException("UDP 4500 address " + local + " must be IPv4");
    }
    int[] fds = new int[queues];
    int opened = 0;
    InetSocketAddress bound = local;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment addr = arena.allocate(SOCKADDR_IN);
      MemorySegment addrLen = arena.allocate(ValueLayout.JAVA_INT);
      for (int i = 0; i < queues; i++) {
        int fd = Libc.socket(Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0) {
          throw new IllegalStateException("socket(AF_INET, SOCK_DGRAM) failed, errno " + Libc.Errno.last());
        }
        fds[opened++] = fd;
        setInt(arena, fd, Libc.SOL_SOCKET, Libc.SO_REUSEPORT, 1, "SO_REUSEPORT");
        if (!trySetInt(arena, fd, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, 4 << 20)) {
          trySetInt(arena, fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, 4 << 20);
        }
        if (!trySetInt(arena, fd, Libc.SOL_SOCKET, Libc.SO_SNDBUFFORCE, 4 << 20)) {
          trySetInt(arena, fd, Libc.SOL_SOCKET, Libc.SO_SNDBUF, 4 << 20);
        }
        // A blocking receive that wakes every 100 ms, so a closed socket is noticed.
        MemorySegment tv = arena.allocate(16);
        tv.set(ValueLayout.JAVA_LONG, 8, RECEIVE_TIMEOUT_MILLIS * 1000L);
        if (Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, tv, 16) != 0) {
          throw new IllegalStateException("setsockopt SO_RCVTIMEO failed, errno " + Libc.Errno.last());
        }
        if (gro && !trySetInt(arena, fd, Libc.SOL_UDP, Libc.UDP_GRO, 1)) {
          LOG.warn("UDP {}: kernel refused UDP_GRO (errno {}); one datagram per receive", local, Libc.Errno.last());
          gro = false;
        }
        encode(bound, addr);
        if (Libc.bind(fd, addr, SOCKADDR_IN) != 0) {
          throw new IllegalStateException("errno " + Libc.Errno.last());
        }
        addrLen.set(ValueLayout.JAVA_INT, 0, SOCKADDR_IN);
        Libc.getsockname(fd, addr, addrLen);
        bound = decode(addr, null);
      }
    } catch (RuntimeException e) {
      for (int i = 0; i < opened; i++) {
        Libc.close(fds[i]);
      }
      throw new IllegalStateException("cannot bind UDP " + local + ": " + e.getMessage(), e);
    }
    return new EspUdpSocket(bound, fds, gso, gro);
  }

  private static void setInt(Arena arena, int fd, int level, int name, int value, String what) {
    if (!trySetInt(arena, fd, level, name, value)) {
      throw new IllegalStateException("setsockopt " + what + " failed, errno " + Libc.Errno.last());
    }
  }

  private static boolean trySetInt(Arena arena, int fd, int level, int name, int value) {
    MemorySegment v = arena.allocateFrom(ValueLayout.JAVA_INT, value);
    return Libc.setsockopt(fd, level, name, v, 4) == 0;
  }

  public InetSocketAddress localAddress() {
    return local;
  }

  public int queueCount() {
    return fds.length;
  }

  /** Whether receives may return several coalesced datagrams (UDP_GRO accepted). */
  public boolean groEnabled() {
    return groEnabled;
  }

  /** Whether batch sends use UDP_SEGMENT (false after the kernel refused it once). */
  public boolean gsoEnabled() {
    return gsoEnabled;
  }

  @Override
  public void send(InetSocketAddress from, InetSocketAddress remote, byte[] ikeMessage) {
    if (from != null && from.getPort() != local.getPort()) {
      throw new IllegalArgumentException("this transport sends from port " + local.getPort() + ", not " + from);
    }
    byte[] withMarker = new byte[4 + ikeMessage.length];
    System.arraycopy(ikeMessage, 0, withMarker, 4, ikeMessage.length);
    if (!sendOnce(withMarker, remote)) {
      LOG.warn("IKE send to {} failed: errno {}", remote, Libc.Errno.last());
    }
  }

  /** One NAT-keepalive (a single 0xFF byte, RFC 3948 §2.3) to {@code remote}. */
  public void sendKeepalive(InetSocketAddress remote) {
    if (!sendOnce(new byte[] {(byte) 0xFF}, remote)) {
      LOG.debug("NAT keepalive to {} failed: errno {}", remote, Libc.Errno.last());
    }
  }

  /** Control-plane send (IKE, keepalives): allocates, never on the packet path. */
  private boolean sendOnce(byte[] datagram, InetSocketAddress remote) {
    if (closed) {
      return false;
    }
    try (Arena arena = Arena.ofConfined()) {
      MessageHeader msg = new MessageHeader(arena, datagram.length, 8);
      MemorySegment.copy(datagram, 0, msg.data, ValueLayout.JAVA_BYTE, 0, datagram.length);
      encode(remote, msg.name);
      // The packet thread of queue 0 may have set a socket-level UDP_SEGMENT on this socket (see
      // BatchSender): an explicit gso_size of 0 keeps this datagram whole. A kernel without UDP GSO
      // rejects the cmsg (EINVAL): then no cmsg is needed.
      long n = msg.sendAt(fds[0], 0, datagram.length, 0, true);
      if (n < 0 && Libc.Errno.last() == Libc.EINVAL) {
        n = msg.sendAt(fds[0], 0, datagram.length, 0, false);
      }
      return n == datagram.length;
    }
  }

  /**
   * Dispatches a received datagram that is not ESP: IKE to the receiver (marker stripped),
   * keepalives and junk counted and dropped.
   *
   * @return true if the datagram is ESP and the caller should process it
   */
  public boolean dispatch(byte[] b, int off, int len, InetSocketAddress from) {
    if (dispatchUncounted(b, off, len, from)) {
      espReceived.increment();
      return true;
    }
    return false;
  }

  /**
   * As {@link #dispatch} but ESP datagrams are not counted: a packet thread counts them per batch
   * with {@link #countEspReceived} (one shared-counter update per receive, not per datagram).
   */
  public boolean dispatchUncounted(byte[] b, int off, int len, InetSocketAddress from) {
    switch (Udp4500.classify(b, off, len)) {
      case Udp4500.ESP -> {
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

  /** Adds ESP datagrams a packet thread took from {@link #dispatchUncounted}. */
  public void countEspReceived(long datagrams) {
    if (datagrams > 0) {
      espReceived.add(datagrams);
    }
  }

  @Override
  public void setReceiver(Receiver receiver) {
    this.receiver = receiver;
  }

  /** A sender for one packet thread on queue {@code queue} (not thread-safe; one per thread). */
  public BatchSender sender(int queue) {
    return new BatchSender(fds[queue]);
  }

  /** A receiver for one packet thread on queue {@code queue} (not thread-safe; one per thread). */
  public BatchReceiver receiver(int queue) {
    return new BatchReceiver(fds[queue]);
  }

  /**
   * Sends ESP datagrams laid out back to back in a {@code byte[]}: with GSO, a batch of equal-sized
   * datagrams (the last may be shorter) goes out in one call; without, one call each. Nothing
   * allocated unless the peer changes.
   *
   * <p>The usual send is a critical {@code sendto} straight from the Java array (no copy into
   * off-heap memory) with {@code MSG_DONTWAIT}; the GSO size is then a socket option
   * ({@code UDP_SEGMENT} at socket level, set only when it must change). A full send buffer
   * (EAGAIN) falls back, for that batch, to a blocking {@code sendmsg} of an off-heap copy with the
   * size in a cmsg, which overrides the socket option, as IKE sends on this socket do (size 0).
   * {@code VPNGW_UDP_HEAP_SEND=off} keeps the copying path.
   */
  public final class BatchSender {
    private final int fd;
    private final MessageHeader msg = new MessageHeader(Arena.ofAuto(), MAX_BATCH_BYTES, 8);
    private InetSocketAddress lastPeer;
    private boolean heapSend = heapSendEnabled;
    /** The socket's UDP_SEGMENT option as last set by this thread (-1: never set, 0 on the socket). */
    private int socketGso = -1;

    private BatchSender(int fd) {
      this.fd = fd;
    }

    /**
     * Sends {@code len} bytes at {@code src[off..]} to {@code peer} as datagrams of
     * {@code segmentSize} bytes (the last may be shorter); {@code segmentSize >= len} means one datagram.
     *
     * @return datagrams that failed (0 when all went out)
     */
    public int send(byte[] src, int off, int len, int segmentSize, InetSocketAddress peer) {
      if (closed) {
        return count(len, segmentSize);
      }
      if (peer != lastPeer) {
        encode(peer, msg.name);
        lastPeer = peer;
      }
      int segments = count(len, segmentSize);
      if (heapSend && (segments == 1 || gsoEnabled)) {
        int gso = segments > 1 ? segmentSize : 0;
        // A single datagram needs a socket gso of 0 or at least its length, else the kernel cuts it.
        if (segments > 1 ? socketGso != gso : (socketGso != 0 && socketGso < len)) {
          if (!setSocketGso(gso)) {
            heapSend = false;
            LOG.warn("UDP {}: kernel refused socket-level UDP_SEGMENT (errno {}); sending through a copy", local,
                Libc.Errno.last());
          }
        }
        if (heapSend) {
          long sent = Libc.sendtoHeap(fd, src, off, len, Libc.MSG_DONTWAIT, msg.name, SOCKADDR_IN);
          if (sent == len) {
            espSent.add(segments);
            return 0;
          }
          int errno = Libc.Errno.last();
          if (errno != Libc.EAGAIN && errno != Libc.EINTR && !(segments > 1
              && (errno == Libc.EIO || errno == Libc.EINVAL || errno == Libc.EOPNOTSUPP))) {
            return segments;
          }
          // EAGAIN: wait in a blocking sendmsg below; a refused GSO: the path below finds out and falls back.
        }
      }
      boolean explicitGso = socketGso > 0;
      MemorySegment.copy(src, off, msg.data, ValueLayout.JAVA_BYTE, 0, len);
      if (segments > 1 && gsoEnabled) {
        if (msg.sendAt(fd, 0, len, segmentSize, explicitGso) == len) {
          espSent.add(segments);
          return 0;
        }
        int errno = Libc.Errno.last();
        if (errno != Libc.EIO && errno != Libc.EINVAL && errno != Libc.EOPNOTSUPP) {
          return segments;
        }
        gsoEnabled = false;
        LOG.warn("UDP {}: kernel refused UDP_SEGMENT (errno {}); one datagram per send from now on", local, errno);
      }
      int failed = 0;
      for (int at = 0; at < len; at += segmentSize) {
        int n = Math.min(segmentSize, len - at);
        if (msg.sendAt(fd, at, n, 0, explicitGso) == n) {
          espSent.increment();
        } else {
          failed++;
        }
      }
      return failed;
    }

    private boolean setSocketGso(int gso) {
      try (Arena arena = Arena.ofConfined()) {
        if (!trySetInt(arena, fd, Libc.SOL_UDP, Libc.UDP_SEGMENT, gso)) {
          return false;
        }
      }
      socketGso = gso;
      return true;
    }

    private static int count(int len, int segmentSize) {
      return segmentSize >= len ? 1 : (len + segmentSize - 1) / segmentSize;
    }
  }

  /**
   * Receives into a {@code byte[]}: one datagram, or with GRO several of {@link #segmentSize()}
   * bytes back to back (the last may be shorter). The source address object is reused while it
   * stays the same.
   */
  public final class BatchReceiver {
    private final int fd;
    private final MessageHeader msg = new MessageHeader(Arena.ofAuto(), MAX_BATCH_BYTES + 1, 64);
    private final MemorySegment lastName = Arena.ofAuto().allocate(SOCKADDR_IN);
    private InetSocketAddress source;
    private int segmentSize;

    private BatchReceiver(int fd) {
      this.fd = fd;
    }

    /**
     * Blocks until datagrams arrive and copies them to {@code dst[off..]}.
     *
     * @return bytes received (0 for an empty datagram or a timeout: call again), -1 once closed
     */
    public int receive(byte[] dst, int off) {
      while (!closed) {
        long n = msg.receive(fd, MAX_BATCH_BYTES + 1);
        if (n < 0) {
          int errno = Libc.Errno.last();
          if (errno == Libc.EAGAIN || errno == Libc.EINTR) {
            continue;
          }
          if (closed) {
            return -1;
          }
          throw new IllegalStateException("recvmsg on UDP " + local + " failed, errno " + errno);
        }
        if (closed) {
          return -1;
        }
        int len = (int) Math.min(n, MAX_BATCH_BYTES);
        if ((msg.flags() & Libc.MSG_TRUNC) != 0 || n > MAX_BATCH_BYTES) {
          invalidReceived.increment();
          continue;
        }
        segmentSize = msg.groSegmentSize(len);
        if (source == null || msg.name.mismatch(lastName) != -1) {
          MemorySegment.copy(msg.name, 0, lastName, 0, SOCKADDR_IN);
          source = decode(msg.name, source);
        }
        MemorySegment.copy(msg.data, ValueLayout.JAVA_BYTE, 0, dst, off, len);
        return len;
      }
      return -1;
    }

    /** Size of each datagram in the last receive (the last datagram may be shorter). */
    public int segmentSize() {
      return segmentSize;
    }

    /** Source of the last receive. */
    public InetSocketAddress source() {
      return source;
    }
  }

  /**
   * A {@code struct msghdr} with one iovec, a {@code sockaddr_in} name and a control buffer, all
   * off-heap and reused. Layout (x86-64/aarch64): name@0, namelen@8, iov@16, iovlen@24,
   * control@32, controllen@40, flags@48.
   */
  private static final class MessageHeader {
    final MemorySegment hdr;
    final MemorySegment iov;
    final MemorySegment name;
    final MemorySegment control;
    final MemorySegment data;

    MessageHeader(Arena arena, int capacity, int controlBytes) {
      hdr = arena.allocate(56, 8);
      iov = arena.allocate(16, 8);
      name = arena.allocate(SOCKADDR_IN, 8);
      control = arena.allocate(Math.max(controlBytes, 8) + 16, 8);
      data = arena.allocate(capacity, 64);
      hdr.set(ValueLayout.ADDRESS, 0, name);
      hdr.set(ValueLayout.ADDRESS, 16, iov);
      hdr.set(ValueLayout.JAVA_LONG, 24, 1);
    }

    /**
     * sendmsg of data[at..at+len); with segmentSize > 0 (or {@code explicit}) a UDP_SEGMENT cmsg
     * gives the GSO size, overriding the socket-level option (0: one datagram).
     */
    long sendAt(int fd, int at, int len, int segmentSize, boolean explicit) {
      iov.set(ValueLayout.JAVA_LONG, 0, data.address() + at);
      iov.set(ValueLayout.JAVA_LONG, 8, len);
      hdr.set(ValueLayout.JAVA_INT, 8, SOCKADDR_IN);
      if (segmentSize > 0 || explicit) {
        // cmsghdr: len(8) level(4) type(4) then a u16 gso_size; CMSG_SPACE(2) = 24
        control.set(ValueLayout.JAVA_LONG, 0, 18);
        control.set(ValueLayout.JAVA_INT, 8, Libc.SOL_UDP);
        control.set(ValueLayout.JAVA_INT, 12, Libc.UDP_SEGMENT);
        control.set(ValueLayout.JAVA_SHORT, 16, (short) segmentSize);
        hdr.set(ValueLayout.ADDRESS, 32, control);
        hdr.set(ValueLayout.JAVA_LONG, 40, 24);
      } else {
        hdr.set(ValueLayout.ADDRESS, 32, MemorySegment.NULL);
        hdr.set(ValueLayout.JAVA_LONG, 40, 0);
      }
      return Libc.sendmsg(fd, hdr, 0);
    }

    long receive(int fd, int capacity) {
      iov.set(ValueLayout.ADDRESS, 0, data);
      iov.set(ValueLayout.JAVA_LONG, 8, capacity);
      hdr.set(ValueLayout.JAVA_INT, 8, SOCKADDR_IN);
      hdr.set(ValueLayout.ADDRESS, 32, control);
      hdr.set(ValueLayout.JAVA_LONG, 40, control.byteSize());
      hdr.set(ValueLayout.JAVA_INT, 48, 0);
      return Libc.recvmsg(fd, hdr, 0);
    }

    int flags() {
      return hdr.get(ValueLayout.JAVA_INT, 48);
    }

    /** The UDP_GRO cmsg's segment size, or {@code len} when the datagram was not coalesced. */
    int groSegmentSize(int len) {
      long controlLen = hdr.get(ValueLayout.JAVA_LONG, 40);
      long at = 0;
      while (at + 16 <= controlLen) {
        long cmsgLen = control.get(ValueLayout.JAVA_LONG, at);
        if (cmsgLen < 16 || at + cmsgLen > controlLen) {
          break;
        }
        if (control.get(ValueLayout.JAVA_INT, at + 8) == Libc.SOL_UDP
            && control.get(ValueLayout.JAVA_INT, at + 12) == Libc.UDP_GRO && cmsgLen >= 20) {
          int size = control.get(ValueLayout.JAVA_INT, at + 16);
          return size > 0 && size < len ? size : len;
        }
        at += (cmsgLen + 7) & ~7L;
      }
      return len;
    }
  }

  /** Writes {@code a} as a {@code struct sockaddr_in} (family native-endian, port and address big-endian). */
  static void encode(InetSocketAddress a, MemorySegment sa) {
    byte[] ip = a.getAddress().getAddress();
    if (ip.length != 4) {
      throw new IllegalArgumentException("peer " + a + " must be IPv4");
    }
    sa.fill((byte) 0);
    sa.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_INET);
    sa.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 2, (short) a.getPort());
    MemorySegment.copy(ip, 0, sa, ValueLayout.JAVA_BYTE, 4, 4);
  }

  /** Reads a {@code sockaddr_in}; returns {@code previous} when it names the same endpoint. */
  static InetSocketAddress decode(MemorySegment sa, InetSocketAddress previous) {
    int port = Short.toUnsignedInt(sa.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 2));
    byte[] ip = new byte[4];
    MemorySegment.copy(sa, ValueLayout.JAVA_BYTE, 4, ip, 0, 4);
    try {
      InetSocketAddress a = new InetSocketAddress(InetAddress.getByAddress(ip), port);
      return a.equals(previous) ? previous : a;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // four bytes are always a valid IPv4 address
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

  /** Wakes blocked receivers (shutdown) and closes the sockets. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (int fd : fds) {
      Libc.shutdown(fd, Libc.SHUT_RDWR);
    }
    for (int fd : fds) {
      Libc.close(fd);
    }
  }
}
