package dev.vpngw.dataplane.packet;

import java.net.InetSocketAddress;

/**
 * One reusable packet buffer per packet thread. The packet occupies {@code data[offset,
 * offset+length)}; {@link #HEADROOM} bytes in front leave space to prepend the ESP header and IV in
 * place, and the tail leaves space for padding and ICV, so encapsulation never copies or allocates.
 */
public final class PacketBuffer {
  /** ESP header (8) + largest IV (16), rounded up. */
  public static final int HEADROOM = 32;
  public static final int DEFAULT_CAPACITY = 2048;

  public final byte[] data;
  public int offset;
  public int length;
  /** Set by encapsulation: the peer's UDP endpoint for this ESP packet. */
  public InetSocketAddress peer;
  /**
   * The packet thread's clock for this batch ({@link System#nanoTime}, read once per syscall), or 0:
   * the engine then reads the clock itself. Saves a clock read per packet.
   */
  public long batchNanos;
  /** Set by out-of-place encapsulation: bytes of ESP written to the output array. */
  public int sealedLength;
  /**
   * Out-of-place encapsulation writes the ESP trailer right after the packet for the cipher to
   * read, and puts back what was there (the next segment's bytes) from here.
   */
  private final byte[] tailSave = new byte[32];

  public PacketBuffer(int capacity) {
    if (capacity < HEADROOM + 128) {
      throw new IllegalArgumentException("packet buffer capacity " + capacity + " too small");
    }
    this.data = new byte[capacity];
  }

  public PacketBuffer() {
    this(DEFAULT_CAPACITY);
  }

  public void set(int offset, int length) {
    this.offset = offset;
    this.length = length;
  }

  public byte[] tailSave() {
    return tailSave;
  }

  /** Bytes free after the packet. */
  public int tailroom() {
    return data.length - offset - length;
  }
}
