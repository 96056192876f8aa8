package dev.vpngw.dataplane.net;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An rtnetlink socket (NETLINK_ROUTE) for route changes without forking {@code ip}: route
 * requests go out many per write (up to {@value #MAX_BATCH_ROUTES} or 60 KiB), only the last of
 * each write asks for an ACK — the kernel answers failed requests with an error anyway, in order,
 * so when the last one is answered every failure of the write has been read. Errors come back
 * per route with the errno and the kernel's extended-ACK text when it gives one.
 *
 * <p>The socket belongs to the network namespace it was opened in ({@link #openIn}) for life,
 * whichever thread uses it. Calls are serialised; one request at a time per socket.
 */
public final class RtNetlink implements AutoCloseable {
  static final short NLM_F_REQUEST = 0x1;
  static final short NLM_F_ACK = 0x4;
  private static final int AF_NETLINK = 16;
  private static final int SOCK_RAW = 3;
  private static final int NETLINK_ROUTE = 0;
  private static final int SOL_NETLINK = 270;
  private static final int NETLINK_CAP_ACK = 10;
  private static final int NETLINK_EXT_ACK = 11;
  private static final short NLMSG_ERROR = 2;
  private static final short NLM_F_CAPPED = 0x100;
  private static final short NLM_F_ACK_TLVS = 0x200;
  private static final short NLMSGERR_ATTR_MSG = 1;
  private static final short RTM_NEWLINK = 16;
  private static final short RTM_GETLINK = 18;
  private static final short IFLA_IFNAME = 3;
  private static final int ENOBUFS = 105;
  static final int MAX_BATCH_ROUTES = 1000;
  private static final int MAX_BATCH_BYTES = 60 * 1024;
  private static final int RECEIVE_BUFFER = 4 << 20;
  private static final int TIMEOUT_SECONDS = 5;

  /** A route the kernel refused: errno (positive) and the kernel's message, empty when none. */
  public record Failure(RtRoute route, int errno, String kernelMessage) {
    @Override
    public String toString() {
      return route + ": " + ErrnoNames.describe(errno) + (kernelMessage.isEmpty() ? "" : ": " + kernelMessage);
    }
  }

  private final int fd;
  private final Arena arena = Arena.ofShared();
  private final MemorySegment tx = arena.allocate(MAX_BATCH_BYTES);
  private final MemorySegment rx = arena.allocate(64 * 1024);
  private int seq = (int) (System.nanoTime() & 0x3fffffff);
  private boolean closed;

  private RtNetlink(int fd) {
    this.fd = fd;
  }

  /** A socket in the calling thread's network namespace. */
  public static RtNetlink open() {
    return new RtNetlink(openSocket());
  }

  /** A socket in the named namespace ({@code ip netns add NAME}); null means the current one. */
  public static RtNetlink openIn(String netns) {
    return netns == null ? open() : new RtNetlink(NetNs.runIn(netns, RtNetlink::openSocket));
  }

  private static int openSocket() {
    int fd = Libc.socket(AF_NETLINK, SOCK_RAW | Libc.SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd < 0) {
      throw new IllegalStateException("rtnetlink socket: " + ErrnoNames.describe(Libc.Errno.last()));
    }
    try (Arena a = Arena.ofConfined()) {
      MemorySegment addr = a.allocate(12); // sockaddr_nl, pid 0: the kernel picks one
      addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_NETLINK);
      if (Libc.bind(fd, addr, 12) != 0) {
        int e = Libc.Errno.last();
        Libc.close(fd);
        throw new IllegalStateException("rtnetlink bind: " + ErrnoNames.describe(e));
      }
      MemorySegment one = a.allocateFrom(ValueLayout.JAVA_INT, 1);
      // Optional: a short ACK and the kernel's error text. Older kernels lack them; nothing else changes.
      Libc.setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, one, 4);
      Libc.setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, one, 4);
      // Room for the error replies of a whole write (each queued reply costs ~1 KiB of buffer).
      MemorySegment size = a.allocateFrom(ValueLayout.JAVA_INT, RECEIVE_BUFFER);
      if (Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, size, 4) != 0) {
        Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, size, 4);
      }
      MemorySegment timeout = a.allocate(16); // struct timeval: a kernel that never answers is an error, not a hang
      timeout.set(ValueLayout.JAVA_LONG, 0, TIMEOUT_SECONDS);
      Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, timeout, 16);
    }
    return fd;
  }

  /**
   * Applies the changes in order, many per write; returns the ones the kernel refused (empty when
   * all went in). Throws only when the socket itself fails (no answer, receive buffer overflow).
   */
  public synchronized List<Failure> apply(List<RtRoute> routes) {
    ensureOpen();
    List<Failure> failures = new ArrayList<>();
    ByteBuffer b = ByteBuffer.allocate(MAX_BATCH_BYTES).order(ByteOrder.nativeOrder());
    int i = 0;
    while (i < routes.size()) {
      int end = i;
      int bytes = 0;
      while (end < routes.size() && end - i < MAX_BATCH_ROUTES && bytes + routes.get(end).encodedLength() <= MAX_BATCH_BYTES) {
        bytes += routes.get(end).encodedLength();
        end++;
      }
      b.clear();
      int first = seq + 1;
      for (int k = i; k < end; k++) {
        routes.get(k).encode(b, ++seq, k == end - 1);
      }
      send(b);
      List<RtRoute> chunk = routes.subList(i, end);
      awaitAck(seq, (s, errno, msg) -> {
        int idx = s - first;
        if (idx >= 0 && idx < chunk.size()) {
          failures.add(new Failure(chunk.get(idx), errno, msg));
        }
      });
      i = end;
    }
    return failures;
  }

  /** The interface index of a device in the socket's namespace. */
  public synchronized int linkIndex(String device) {
    ensureOpen();
    byte[] name = device == null ? new byte[0] : device.getBytes(StandardCharsets.UTF_8);
    if (name.length == 0 || name.length > 15 || device.indexOf('/') >= 0 || device.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("device: '" + device + "' is not an interface name (1-15 bytes, no '/' or space)");
    }
    int attr = 4 + name.length + 1;
    int len = 16 + 16 + align(attr);
    ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.nativeOrder());
    int s = ++seq;
    b.putInt(len).putShort(RTM_GETLINK).putShort(NLM_F_REQUEST).putInt(s).putInt(0);
    b.putInt(0).putInt(0).putInt(0).putInt(0); // ifinfomsg: any family, index 0 (look up by name)
    b.putShort((short) attr).putShort(IFLA_IFNAME).put(name).put((byte) 0);
    b.position(len);
    send(b);
    int[] index = {0};
    int[] error = {0};
    String[] message = {""};
    receiveUntil(s, (type, off, msgLen) -> {
      if (type == RTM_NEWLINK) {
        index[0] = rx.get(ValueLayout.JAVA_INT_UNALIGNED, off + 16 + 4);
        return true;
      }
      return false;
    }, (errSeq, errno, msg) -> {
      error[0] = errno;
      message[0] = msg;
    });
    if (error[0] != 0) {
      throw new IllegalArgumentException("device: '" + device + "': " + ErrnoNames.describe(error[0])
          + (message[0].isEmpty() ? "" : ": " + message[0]));
    }
    return index[0];
  }

  private interface ErrorSink {
    void failed(int seq, int errno, String kernelMessage);
  }

  private interface ReplySink {
    /** A non-error reply to our request; true when it completes the request. */
    boolean reply(short type, long offset, int length);
  }

  private void awaitAck(int lastSeq, ErrorSink errors) {
    receiveUntil(lastSeq, (type, off, len) -> false, errors);
  }

  /** Reads replies until the message with {@code lastSeq} is answered (an ACK, an error or a reply that completes it). */
  private void receiveUntil(int lastSeq, ReplySink replies, ErrorSink errors) {
    while (true) {
      long n = Libc.read(fd, rx, rx.byteSize());
      if (n < 0) {
        int e = Libc.Errno.last();
        if (e == Libc.EINTR) {
          continue;
        }
        if (e == Libc.EAGAIN) {
          throw new IllegalStateException("rtnetlink: no answer from the kernel in " + TIMEOUT_SECONDS + " s");
        }
        if (e == ENOBUFS) {
          throw new IllegalStateException("rtnetlink: receive buffer overflowed, replies were lost ("
              + ErrnoNames.describe(e) + ")");
        }
        throw new IllegalStateException("rtnetlink read: " + ErrnoNames.describe(e));
      }
      boolean done = false;
      long off = 0;
      while (off + 16 <= n) {
        int len = rx.get(ValueLayout.JAVA_INT_UNALIGNED, off);
        short type = rx.get(ValueLayout.JAVA_SHORT_UNALIGNED, off + 4);
        short flags = rx.get(ValueLayout.JAVA_SHORT_UNALIGNED, off + 6);
        int s = rx.get(ValueLayout.JAVA_INT_UNALIGNED, off + 8);
        if (len < 16 || off + len > n) {
          throw new IllegalStateException("rtnetlink: malformed reply (length " + len + " at " + off + " of " + n + ")");
        }
        if (type == NLMSG_ERROR && len >= 20) {
          int err = rx.get(ValueLayout.JAVA_INT_UNALIGNED, off + 16);
          if (err != 0) {
            errors.failed(s, -err, extAckMessage(off, len, flags));
          }
          if (s == lastSeq) {
            done = true;
          }
        } else if (s == lastSeq && replies.reply(type, off, len)) {
          done = true;
        }
        off += align(len);
      }
      if (done) {
        return;
      }
    }
  }

  /** NLMSGERR_ATTR_MSG of an error reply, when the kernel attached one. */
  private String extAckMessage(long off, int len, short flags) {
    if ((flags & NLM_F_ACK_TLVS) == 0 || len < 36) {
      return "";
    }
    int embedded = (flags & NLM_F_CAPPED) != 0 ? 16 : rx.get(ValueLayout.JAVA_INT_UNALIGNED, off + 20);
    long p = off + 20 + align(embedded);
    long end = off + len;
    while (p + 4 <= end) {
      int alen = Short.toUnsignedInt(rx.get(ValueLayout.JAVA_SHORT_UNALIGNED, p));
      int atype = rx.get(ValueLayout.JAVA_SHORT_UNALIGNED, p + 2) & 0x3fff;
      if (alen < 4 || p + alen > end) {
        break;
      }
      if (atype == NLMSGERR_ATTR_MSG) {
        byte[] text = rx.asSlice(p + 4, alen - 4).toArray(ValueLayout.JAVA_BYTE);
        int z = 0;
        while (z < text.length && text[z] != 0) {
          z++;
        }
        return new String(text, 0, z, StandardCharsets.UTF_8);
      }
      p += align(alen);
    }
    return "";
  }

  private void send(ByteBuffer b) {
    int len = b.position();
    MemorySegment.copy(MemorySegment.ofArray(b.array()), 0, tx, 0, len);
    long n = Libc.write(fd, tx, len);
    if (n != len) {
      throw new IllegalStateException("rtnetlink write of " + len + " bytes: "
          + (n < 0 ? ErrnoNames.describe(Libc.Errno.last()) : "only " + n + " written"));
    }
  }

  private static int align(int n) {
    return (n + 3) & ~3;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("rtnetlink socket is closed");
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      Libc.close(fd);
      arena.close();
    }
  }
}
