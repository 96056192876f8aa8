package dev.vpngw.dataplane.tun;

import dev.vpngw.dataplane.net.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One queue (file descriptor) of a {@link TunDevice}. One thread may read and another write at the
 * same time; each direction has its own reused off-heap buffer, so reads and writes never allocate.
 * Packets are copied between the off-heap buffer and the caller's {@code byte[]} (the JCE works on
 * arrays; a 1.4 kB copy is far cheaper than the cipher).
 */
public final class TunQueue {
  /** Largest packet read or written: the TUN MTU is far below this. */
  public static final int MAX_PACKET = 65535;
  private static final int POLL_MILLIS = 100;

  private final String deviceName;
  private final int index;
  private final int fd;
  private final Arena arena = Arena.ofAuto();
  private final MemorySegment readBuf = arena.allocate(MAX_PACKET, 64);
  private final MemorySegment writeBuf = arena.allocate(MAX_PACKET, 64);
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

  /**
   * Blocks until a packet arrives and copies it to {@code dst[off..]}.
   *
   * @return the packet length, or -1 once the queue is closed
   */
  public int read(byte[] dst, int off, int maxLen) {
    while (!closed) {
      long n = Libc.read(fd, readBuf, Math.min(maxLen, MAX_PACKET));
      if (n >= 0) {
        MemorySegment.copy(readBuf, ValueLayout.JAVA_BYTE, 0, dst, off, (int) n);
        return (int) n;
      }
      int errno = Libc.Errno.last();
      if (errno == Libc.EAGAIN) {
        Libc.poll(pollFd, 1, POLL_MILLIS);
      } else if (errno != Libc.EINTR) {
        if (closed) {
          return -1;
        }
        throw new IllegalStateException("read " + deviceName + " queue " + index + " failed, errno " + errno);
      }
    }
    return -1;
  }

  /** Writes one IP packet; returns false if the kernel refused it (queue full, device down). */
  public boolean write(byte[] src, int off, int len) {
    if (closed) {
      return false;
    }
    MemorySegment.copy(src, off, writeBuf, ValueLayout.JAVA_BYTE, 0, len);
    long n = Libc.write(fd, writeBuf, len);
    return n == len;
  }

  void close() {
    if (!closed) {
      closed = true;
      Libc.close(fd);
    }
  }
}
