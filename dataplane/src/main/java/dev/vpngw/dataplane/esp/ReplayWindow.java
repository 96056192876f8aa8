package dev.vpngw.dataplane.esp;

/**
 * Anti-replay window of RFC 4303 §3.4.3 with the ESN inference of RFC 4303 Appendix A2, as a ring
 * bitmap of {@code long}s (no shifting: bit {@code seq mod W} is the slot of {@code seq}). Sequence
 * numbers are tracked as 64-bit values even without ESN, where the high half stays 0.
 *
 * <p>Thread-safe: {@link #accept(long)} is the only mutator and re-checks under the lock after the
 * ICV verified, so two threads that decrypted the same packet concurrently deliver it once.
 */
public final class ReplayWindow {
  /** Window IKE should ask for unless configured otherwise (strongSwan defaults to 32; 1024 tolerates reordering across packet queues). */
  public static final int DEFAULT_SIZE = 1024;

  private final int size;
  private final boolean esn;
  private final long[] bitmap;
  /** Highest authenticated sequence number, 0 = none yet. */
  private long top;

  /** {@code size} 0 disables the check (sequence numbers are still tracked for ESN). */
  public ReplayWindow(int size, boolean esn) {
    if (size < 0 || size > (1 << 20)) {
      throw new IllegalArgumentException("replay window " + size + " must be 0..1048576");
    }
    this.size = size == 0 ? 0 : Math.max(64, roundUpPow2(size));
    this.esn = esn;
    this.bitmap = new long[Math.max(1, this.size / 64)];
  }

  private static int roundUpPow2(int v) {
    return Integer.highestOneBit(v - 1) << 1;
  }

  public int size() {
    return size;
  }

  /**
   * The full 64-bit sequence number a received low half most likely stands for (RFC 4303 A2.2):
   * the same epoch as the window's top, or the next/previous one near a wrap.
   */
  public synchronized long infer(int seqLow) {
    long low = seqLow & 0xFFFFFFFFL;
    if (!esn) {
      return low;
    }
    long w = size == 0 ? (1L << 31) : size;
    long tl = top & 0xFFFFFFFFL;
    long th = top >>> 32;
    if (tl >= w - 1) {
      return low >= tl - w + 1 ? (th << 32) | low : ((th + 1) << 32) | low;
    }
    long bottom = (tl - w + 1) & 0xFFFFFFFFL;
    if (low >= bottom && th > 0) {
      return ((th - 1) << 32) | low;
    }
    return (th << 32) | low;
  }

  /** Cheap pre-check before decryption: false if {@code seq} is certainly a replay or too old. */
  public synchronized boolean check(long seq) {
    if (seq == 0) {
      return false;
    }
    if (size == 0 || seq > top) {
      return true;
    }
    if (top - seq >= size) {
      return false;
    }
    return !isSet(seq);
  }

  /** Marks an authenticated {@code seq} seen; false if it was a replay after all (lost a race). */
  public synchronized boolean accept(long seq) {
    if (!check(seq)) {
      return false;
    }
    if (size == 0) {
      if (seq > top) {
        top = seq;
      }
      return true;
    }
    if (seq > top) {
      long advance = seq - top;
      if (advance >= size) {
        java.util.Arrays.fill(bitmap, 0L);
      } else {
        for (long s = top + 1; s < seq; s++) {
          clear(s);
        }
      }
      top = seq;
    }
    set(seq);
    return true;
  }

  public synchronized long top() {
    return top;
  }

  private boolean isSet(long seq) {
    int bit = (int) (seq & (size - 1));
    return (bitmap[bit >>> 6] & (1L << (bit & 63))) != 0;
  }

  private void set(long seq) {
    int bit = (int) (seq & (size - 1));
    bitmap[bit >>> 6] |= 1L << (bit & 63);
  }

  private void clear(long seq) {
    int bit = (int) (seq & (size - 1));
    bitmap[bit >>> 6] &= ~(1L << (bit & 63));
  }
}
