package dev.vpngw.dataplane.ike.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Integrity algorithms (transform type 3): truncated HMACs (RFC 2404, RFC 4868). */
public enum IntegrityAlgorithm {
  NONE(0, null, 0, 0),
  HMAC_MD5_96(1, "HmacMD5", 16, 12),
  HMAC_SHA1_96(2, "HmacSHA1", 20, 12),
  HMAC_SHA2_256_128(12, "HmacSHA256", 32, 16),
  HMAC_SHA2_384_192(13, "HmacSHA384", 48, 24),
  HMAC_SHA2_512_256(14, "HmacSHA512", 64, 32);

  private final int id;
  private final String jceName;
  private final int keyLength;
  private final int icvLength;

  IntegrityAlgorithm(int id, String jceName, int keyLength, int icvLength) {
    this.id = id;
    this.jceName = jceName;
    this.keyLength = keyLength;
    this.icvLength = icvLength;
  }

  public int id() {
    return id;
  }

  public int keyLength() {
    return keyLength;
  }

  public int icvLength() {
    return icvLength;
  }

  public static IntegrityAlgorithm byId(int id) {
    for (IntegrityAlgorithm a : values()) {
      if (a.id == id) {
        return a;
      }
    }
    return null;
  }

  public byte[] icv(byte[] key, byte[]... data) {
    if (this == NONE) {
      return new byte[0];
    }
    try {
      Mac mac = Mac.getInstance(jceName);
      mac.init(new SecretKeySpec(key, jceName));
      for (byte[] d : data) {
        mac.update(d);
      }
      return Arrays.copyOf(mac.doFinal(), icvLength);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(jceName + " unavailable", e);
    }
  }
}
