package dev.vpngw.dataplane.ike.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** IKEv2 pseudo-random functions (transform type 2), all HMAC based (RFC 7296 §3.3.2, RFC 4868). */
public enum PrfAlgorithm {
  HMAC_MD5(1, "HmacMD5", 16),
  HMAC_SHA1(2, "HmacSHA1", 20),
  HMAC_SHA2_256(5, "HmacSHA256", 32),
  HMAC_SHA2_384(6, "HmacSHA384", 48),
  HMAC_SHA2_512(7, "HmacSHA512", 64);

  private final int id;
  private final String jceName;
  private final int outputLength;

  PrfAlgorithm(int id, String jceName, int outputLength) {
    this.id = id;
    this.jceName = jceName;
    this.outputLength = outputLength;
  }

  public int id() {
    return id;
  }

  /** Output size, which is also the key size for SK_d, SK_pi and SK_pr (RFC 7296 §2.14). */
  public int outputLength() {
    return outputLength;
  }

  public static PrfAlgorithm byId(int id) {
    for (PrfAlgorithm p : values()) {
      if (p.id == id) {
        return p;
      }
    }
    return null;
  }

  public byte[] apply(byte[] key, byte[]... data) {
    try {
      Mac mac = Mac.getInstance(jceName);
      // HMAC zero-pads keys to the block size, so an all-zero block-size key equals the empty key
      // (which SecretKeySpec refuses).
      byte[] k = key.length > 0 ? key : new byte[outputLength > 32 ? 128 : 64];
      mac.init(new SecretKeySpec(k, jceName));
      for (byte[] d : data) {
        mac.update(d);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(jceName + " unavailable", e);
    }
  }

  /** prf+ (RFC 7296 §2.13): T1 = prf(K, S|0x01), Tn = prf(K, Tn-1|S|n), concatenated to {@code length}. */
  public byte[] prfPlus(byte[] key, byte[] seed, int length) {
    if (length > 255 * outputLength) {
      throw new IllegalArgumentException("prf+ cannot produce " + length + " bytes");
    }
    byte[] out = new byte[length];
    byte[] t = new byte[0];
    int off = 0;
    for (int n = 1; off < length; n++) {
      t = apply(key, t, seed, new byte[] {(byte) n});
      int c = Math.min(t.length, length - off);
      System.arraycopy(t, 0, out, off, c);
      off += c;
    }
    return out;
  }
}
