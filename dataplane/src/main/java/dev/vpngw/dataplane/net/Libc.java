package dev.vpngw.dataplane.net;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few libc calls the data plane makes through {@code java.lang.foreign} (no JNI, no helper
 * binaries): open/close/read/write/ioctl/poll/fcntl for TUN and setns for network namespaces. Every
 * call captures errno so callers can tell EAGAIN from a real error. The errno segment is per calling
 * thread (see {@link Errno}) so packet threads never allocate for it.
 */
public final class Libc {
  public static final int O_RDONLY = 0;
  public static final int O_RDWR = 2;
  public static final int O_NONBLOCK = 0x800;
  public static final int O_CLOEXEC = 0x80000;
  public static final int F_GETFL = 3;
  public static final int F_SETFL = 4;
  public static final int EINTR = 4;
  public static final int EIO = 5;
  public static final int EAGAIN = 11;
  public static final int EINVAL = 22;
  public static final int EOPNOTSUPP = 95;
  public static final short POLLIN = 0x1;
  public static final int CLONE_NEWNET = 0x40000000;
  public static final int AF_INET = 2;
  public static final int SOCK_DGRAM = 2;
  public static final int SOCK_NONBLOCK = 0x800;
  public static final int SOCK_CLOEXEC = 0x80000;
  public static final int SOL_SOCKET = 1;
  public static final int SO_SNDBUF = 7;
  public static final int SO_RCVBUF = 8;
  public static final int SO_REUSEPORT = 15;
  public static final int SO_RCVTIMEO = 20;
  public static final int SO_SNDBUFFORCE = 32;
  public static final int SO_RCVBUFFORCE = 33;
  public static final int SOL_UDP = 17;
  public static final int UDP_SEGMENT = 103;
  public static final int UDP_GRO = 104;
  public static final int MSG_TRUNC = 0x20;
  public static final int MSG_DONTWAIT = 0x40;
  public static final int SHUT_RDWR = 2;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final SymbolLookup LIBC = LINKER.defaultLookup();
  private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final Linker.Option CCS = Linker.Option.captureCallState("errno");

  private static final MethodHandle OPEN = handle("open",
      FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
  private static final MethodHandle CLOSE = handle("close",
      FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
  private static final MethodHandle READ = handle("read",
      FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
  private static final MethodHandle WRITE = handle("write",
      FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
  private static final MethodHandle IOCTL_PTR = handle("ioctl",
      FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
      Linker.Option.firstVariadicArg(2));
  private static final MethodHandle FCNTL = handle("fcntl",
      FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
      Linker.Option.firstVariadicArg(2));
  private static final MethodHandle POLL = handle("poll",
      FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
  private static final MethodHandle SOCKET = handle("socket",
      FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
  private static final MethodHandle BIND = handle("bind",
      FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
  /*
   * Packet-path variants with heap access: the kernel reads/writes the caller's byte[] directly (no
   * copy through an off-heap buffer). Only for calls that never block (non-blocking fds): a critical
   * call holds off the GC for its duration.
   */
  private static final MethodHandle READ_HEAP = handle("read",
      FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
      Linker.Option.critical(true));
  private static final MethodHandle WRITE_HEAP = handle("write",
      FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
      Linker.Option.critical(true));
  /** sendto(2) from the caller's byte[]; with MSG_DONTWAIT it never blocks. */
  private static final MethodHandle SENDTO_HEAP = handle("sendto",
      FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
          ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
      Linker.Option.critical(true));
  private static final MethodHandle SENDMSG = handle("sendmsg",
      FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
  private static final MethodHandle RECVMSG = handle("recvmsg",
      FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
  private static final MethodHandle SETSOCKOPT = handle("setsockopt",
      FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
          ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
  private static final MethodHandle GETSOCKNAME = handle("getsockname",
      FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
  private static final MethodHandle SHUTDOWN = handle("shutdown",
      FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
  private static final MethodHandle SETNS = handle("setns",
      FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

  private Libc() {}

  @SuppressWarnings("restricted") // native access is the point; enabled with --enable-native-access
  private static MethodHandle handle(String name, FunctionDescriptor fd, Linker.Option... extra) {
    Linker.Option[] options = new Linker.Option[extra.length + 1];
    options[0] = CCS;
    System.arraycopy(extra, 0, options, 1, extra.length);
    return LINKER.downcallHandle(LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError(name)), fd, options);
  }

  /** Per-thread errno capture buffer; allocated once per thread, never per call. */
  public static final class Errno {
    private static final ThreadLocal<MemorySegment> SEGMENT =
        ThreadLocal.withInitial(() -> Arena.global().allocate(CAPTURE));

    private Errno() {}

    static MemorySegment segment() {
      return SEGMENT.get();
    }

    /** errno of this thread's last Libc call. */
    public static int last() {
      return (int) ERRNO.get(SEGMENT.get(), 0L);
    }
  }

  public static int open(String path, int flags) {
    try (Arena arena = Arena.ofConfined()) {
      return (int) OPEN.invokeExact(Errno.segment(), arena.allocateFrom(path), flags, 0);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static int close(int fd) {
    try {
      return (int) CLOSE.invokeExact(Errno.segment(), fd);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** read(2) into an off-heap segment; returns bytes read or -1 (see {@link Errno#last()}). */
  public static long read(int fd, MemorySegment buf, long len) {
    try {
      return (long) READ.invokeExact(Errno.segment(), fd, buf, len);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static long write(int fd, MemorySegment buf, long len) {
    try {
      return (long) WRITE.invokeExact(Errno.segment(), fd, buf, len);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** read(2) straight into {@code dst[off..off+len)}; the fd must be non-blocking. */
  public static long readHeap(int fd, byte[] dst, int off, int len) {
    try {
      return (long) READ_HEAP.invokeExact(Errno.segment(), fd, MemorySegment.ofArray(dst).asSlice(off, len), (long) len);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** write(2) straight from {@code src[off..off+len)}; the fd must be non-blocking. */
  public static long writeHeap(int fd, byte[] src, int off, int len) {
    try {
      return (long) WRITE_HEAP.invokeExact(Errno.segment(), fd, MemorySegment.ofArray(src).asSlice(off, len), (long) len);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /**
   * sendto(2) of {@code src[off..off+len)} to {@code addr} without a copy into off-heap memory;
   * {@code flags} must contain {@link #MSG_DONTWAIT} (a critical call must not block).
   */
  public static long sendtoHeap(int fd, byte[] src, int off, int len, int flags, MemorySegment addr, int addrLen) {
    if ((flags & MSG_DONTWAIT) == 0) {
      throw new IllegalArgumentException("sendtoHeap needs MSG_DONTWAIT");
    }
    try {
      return (long) SENDTO_HEAP.invokeExact(Errno.segment(), fd, MemorySegment.ofArray(src).asSlice(off, len), (long) len,
          flags, addr, addrLen);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static long sendmsg(int fd, MemorySegment msghdr, int flags) {
    try {
      return (long) SENDMSG.invokeExact(Errno.segment(), fd, msghdr, flags);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static long recvmsg(int fd, MemorySegment msghdr, int flags) {
    try {
      return (long) RECVMSG.invokeExact(Errno.segment(), fd, msghdr, flags);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static int setsockopt(int fd, int level, int name, MemorySegment value, int len) {
    try {
      return (int) SETSOCKOPT.invokeExact(Errno.segment(), fd, level, name, value, len);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static int getsockname(int fd, MemorySegment addr, MemorySegment addrLen) {
    try {
      return (int) GETSOCKNAME.invokeExact(Errno.segment(), fd, addr, addrLen);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static int shutdown(int fd, int how) {
    try {
      return (int) SHUTDOWN.invokeExact(Errno.segment(), fd, how);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static int ioctl(int fd, long request, MemorySegment arg) {
    try {
      return (int) IOCTL_PTR.invokeExact(Errno.segment(), fd, request, arg);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static int fcntl(int fd, int cmd, int arg) {
    try {
      return (int) FCNTL.invokeExact(Errno.segment(), fd, cmd, arg);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** poll(2) on {@code nfds} consecutive {@code struct pollfd} (8 bytes each) in {@code fds}. */
  public static int poll(MemorySegment fds, long nfds, int timeoutMillis) {
    try {
      return (int) POLL.invokeExact(Errno.segment(), fds, nfds, timeoutMillis);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static int socket(int domain, int type, int protocol) {
    try {
      return (int) SOCKET.invokeExact(Errno.segment(), domain, type, protocol);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static int bind(int fd, MemorySegment addr, int addrLen) {
    try {
      return (int) BIND.invokeExact(Errno.segment(), fd, addr, addrLen);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static int setns(int fd, int nstype) {
    try {
      return (int) SETNS.invokeExact(Errno.segment(), fd, nstype);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  private static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) {
      return r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new IllegalStateException(t);
  }
}
