package dev.vpngw.dataplane.tun;

import dev.vpngw.dataplane.net.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One queue (file descriptor) of a {@link TunDevice}. One thread may read and another write at the
 * same time.
 *
 * <p>The packet path uses {@link #readFrame} and {@link #writeFrame}: a frame is a
 * {@link VirtioNetHdr} followed by the IP packet, moved by the kernel straight into or out of the
 * caller's {@code byte[]} (no intermediate copy, nothing allocated). {@link #read} and
 * {@link #write} are the plain-packet view for tests and tools: they copy through an off-heap
 * buffer and drop or add a header that says "no offload".
 */
public final class TunQueue {
  /** Largest frame read or written: a 64 kB super-segment plus its header. */
  public static final int MAX_FRAME = 65535 + VirtioNetHdr.LENGTH;
  /** Largest plain packet for {@link #read}/{@link #write}. */
  public static final int MAX_PACKET = 65535;
  private static final int POLL_MILLIS = 100;

  private final String deviceName;
  private final int index;
  private final int fd;
  private final Arena arena = Arena.ofAuto();
  private final MemorySegment readBuf = arena.allocate(MAX_FRAME, 64);
  private final MemorySegment writeBuf = arena.allocate(MAX_FRAME, 64);
  private final MemorySegment pollFd = arena.allocate(8, 8);
  private volatile boolean closed;

  TunQueue(String deviceName, int index, int fd) {
    this.deviceName = deviceName;
    this.index = index;
    this.fd = fd;
    pollFd.set(ValueLayout.JAVA_INT, 0, fd);
    pollFd.set(ValueLayout.JAVA_SHORT, 4, Libc.POLLIN);
  }

  public int index() {
    return index;
  }

  int fd() {
    return fd;
  }

  /**
   * Blocks until a frame arrives and reads it into {@code dst[off..]}: {@link VirtioNetHdr#LENGTH}
   * header bytes, then the packet (up to 64 kB with TSO).
   *
   * @return the frame length, or -1 once the queue is closed
   */
  public int readFrame(byte[] dst, int off, int maxLen) {
    while (!closed) {
      long n = Libc.readHeap(fd, dst, off, Math.min(maxLen, MAX_FRAME));
      if (n >= 0) {
        return (int) n;
      }
      if (!waitReadable()) {
        return -1;
      }
    }
    return -1;
  }

  /** Writes one frame ({@link VirtioNetHdr} then packet); false if the kernel refused it. */
  public boolean writeFrame(byte[] src, int off, int len) {
    if (closed) {
      return false;
    }
    return Libc.writeHeap(fd, src, off, len) == len;
  }

  /** errno of this thread's last failed frame write (for a one-time log line). */
  public static int lastErrno() {
    return Libc.Errno.last();
  }

  /**
   * Plain view: blocks until a packet arrives and copies it, without its header, to
   * {@code dst[off..]}.
   *
   * @return the packet length, or -1 once the queue is closed
   */
  public int read(byte[] dst, int off, int maxLen) {
    while (!closed) {
      long n = Libc.read(fd, readBuf, Math.min(maxLen + VirtioNetHdr.LENGTH, MAX_FRAME));
      if (n >= VirtioNetHdr.LENGTH) {
        int len = (int) n - VirtioNetHdr.LENGTH;
        MemorySegment.copy(readBuf, ValueLayout.JAVA_BYTE, VirtioNetHdr.LENGTH, dst, off, len);
        return len;
      }
      if (n < 0 && !waitReadable()) {
        return -1;
      }
    }
    return -1;
  }

  /** Plain view: writes one IP packet (no offload header needed); false if the kernel refused it. */
  public boolean write(byte[] src, int off, int len) {
    if (closed) {
      return false;
    }
    writeBuf.asSlice(0, VirtioNetHdr.LENGTH).fill((byte) 0);
    MemorySegment.copy(src, off, writeBuf, ValueLayout.JAVA_BYTE, VirtioNetHdr.LENGTH, len);
    long n = Libc.write(fd, writeBuf, len + VirtioNetHdr.LENGTH);
    return n == len + VirtioNetHdr.LENGTH;
  }

  /** After a failed read: waits on EAGAIN, retries on EINTR; false if closed. */
  private boolean waitReadable() {
    int errno = Libc.Errno.last();
    if (errno == Libc.EAGAIN) {
      Libc.poll(pollFd, 1, POLL_MILLIS);
    } else if (errno != Libc.EINTR) {
      if (closed) {
        return false;
      }
      throw new IllegalStateException("read " + deviceName + " queue " + index + " failed, errno " + errno);
    }
    return !closed;
  }

  void close() {
    if (!closed) {
      closed = true;
      Libc.close(fd);
    }
  }
}
