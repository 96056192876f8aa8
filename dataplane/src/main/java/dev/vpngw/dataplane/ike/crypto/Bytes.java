package dev.vpngw.dataplane.ike.crypto;

import java.math.BigInteger;

/** Byte helpers for key material. */
public final class Bytes {
  private Bytes() {}

  /** Unsigned big-endian, left-padded with zeros to exactly {@code len} bytes. */
  public static byte[] fixedLength(BigInteger v, int len) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[len];
    int copy = Math.min(raw.length, len);
    System.arraycopy(raw, raw.length - copy, out, len - copy, copy);
    return out;
  }

  public static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int o = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, o, p.length);
      o += p.length;
    }
    return out;
  }

  public static byte[] u64(long v) {
    byte[] b = new byte[8];
    for (int i = 7; i >= 0; i--) {
      b[i] = (byte) v;
      v >>>= 8;
    }
    return b;
  }

  public static byte[] u32(int v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }
}
