package dev.vpngw.dataplane.esp;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * CBC encryption (AES, 3DES, DES) or NULL, with a truncated HMAC ICV (RFC 4303 encrypt-then-MAC:
 * the ICV covers SPI, seq, IV and ciphertext, plus the implicit high sequence half with ESN, RFC 4303
 * §2.2.1).
 *
 * <p>Allocation-free per packet: the CBC ciphers are initialised once with an all-zero IV and the
 * packet's IV is XORed into the first block by hand — CBC with IV v of P1,P2… equals CBC with IV 0 of
 * (P1⊕v),P2… — so no {@code init}/{@link IvParameterSpec} per packet. IVs must be unpredictable
 * (RFC 4303 §3.3.2): IV = AES-ECB under a random per-instance key of (seq || SPI), i.e. an
 * encrypted counter, which is unique and unpredictable without a random read per packet.
 */
final class CbcHmacCrypto implements EspCrypto {
  private final Cipher encryptor;
  private final Cipher decryptor;
  private final Cipher ivGenerator;
  private final Mac mac;
  private final int ivLen;
  private final int blockSize;
  private final int icvLen;
  private final byte[] ivIn = new byte[16];
  private final byte[] ivOut = new byte[16];
  private final byte[] iv = new byte[16];
  private final byte[] macOut = new byte[64];
  private final byte[] seqHigh = new byte[4];
  /**
   * Out-of-place cipher output, copied back: the JCE's CBC copies its whole input into a fresh
   * array when input and output overlap, which would allocate a packet-sized array per packet.
   */
  private byte[] scratch = new byte[2048];

  CbcHmacCrypto(EspTransform t, byte[] encKey, byte[] integKey) {
    try {
      String macAlg = macAlgorithm(t);
      this.mac = Mac.getInstance(macAlg);
      mac.init(new SecretKeySpec(integKey, macAlg));
      // HMAC-MD5-96 and HMAC-SHA1-96 (RFC 2403/2404); SHA-2 truncated to half (RFC 4868).
      this.icvLen = t.integKeyBytes() <= 20 ? 12 : t.integKeyBytes() / 2;
      if (t.kind() == EspTransform.Kind.NULL_HMAC) {
        encryptor = decryptor = ivGenerator = null;
        ivLen = 0;
        blockSize = 4;
        return;
      }
      String alg = t.name().startsWith("DES3") ? "DESede" : t.name().startsWith("DES_") ? "DES" : "AES";
      blockSize = alg.equals("AES") ? 16 : 8;
      ivLen = blockSize;
      SecretKeySpec k = new SecretKeySpec(encKey, alg);
      IvParameterSpec zero = new IvParameterSpec(new byte[blockSize]);
      encryptor = Cipher.getInstance(alg + "/CBC/NoPadding");
      encryptor.init(Cipher.ENCRYPT_MODE, k, zero);
      decryptor = Cipher.getInstance(alg + "/CBC/NoPadding");
      decryptor.init(Cipher.DECRYPT_MODE, k, zero);
      byte[] ivKey = new byte[16];
      new SecureRandom().nextBytes(ivKey);
      ivGenerator = Cipher.getInstance("AES/ECB/NoPadding");
      ivGenerator.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(ivKey, "AES"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JCE cannot provide " + t + ": " + e.getMessage(), e);
    }
  }

  @Override
  public int ivLength() {
    return ivLen;
  }

  @Override
  public int icvLength() {
    return icvLen;
  }

  @Override
  public int alignment() {
    return blockSize;
  }

  @Override
  public void seal(byte[] b, int espOff, int ptLen, long seq, boolean esn) {
    if (encryptor != null) {
      for (int i = 0; i < 8; i++) {
        ivIn[i] = (byte) (seq >>> (56 - 8 * i));
      }
      System.arraycopy(b, espOff, ivIn, 8, 4);
      try {
        ivGenerator.doFinal(ivIn, 0, 16, ivOut, 0);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("IV generation failed", e);
      }
      System.arraycopy(ivOut, 0, b, espOff + 8, ivLen);
    }
    sealWithIv(b, espOff, ptLen, seq, esn);
  }

  /** Seals with the IV already at {@code espOff + 8} (known-answer tests use the vectors' IVs). */
  void sealWithIv(byte[] b, int espOff, int ptLen, long seq, boolean esn) {
    int ivOff = espOff + 8;
    int ctOff = ivOff + ivLen;
    try {
      if (encryptor != null) {
        for (int i = 0; i < blockSize; i++) {
          b[ctOff + i] ^= b[ivOff + i];
        }
        cipherOutOfPlace(encryptor, b, ctOff, ptLen);
      }
      computeIcv(b, espOff, 8 + ivLen + ptLen, seq, esn);
      System.arraycopy(macOut, 0, b, ctOff + ptLen, icvLen);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("CBC seal failed", e);
    }
  }

  @Override
  public boolean open(byte[] b, int espOff, int espLen, long seq, boolean esn) {
    int authLen = espLen - icvLen;
    try {
      computeIcv(b, espOff, authLen, seq, esn);
    } catch (GeneralSecurityException e) {
      return false;
    }
    int diff = 0;
    int icvOff = espOff + authLen;
    for (int i = 0; i < icvLen; i++) {
      diff |= macOut[i] ^ b[icvOff + i];
    }
    if (diff != 0) {
      return false;
    }
    if (decryptor == null) {
      return true;
    }
    int ivOff = espOff + 8;
    int ctOff = ivOff + ivLen;
    int ctLen = authLen - 8 - ivLen;
    System.arraycopy(b, ivOff, iv, 0, ivLen);
    try {
      cipherOutOfPlace(decryptor, b, ctOff, ctLen);
    } catch (GeneralSecurityException e) {
      return false;
    }
    for (int i = 0; i < blockSize; i++) {
      b[ctOff + i] ^= iv[i];
    }
    return true;
  }

  private void cipherOutOfPlace(Cipher cipher, byte[] b, int off, int len) throws GeneralSecurityException {
    if (scratch.length < len) {
      scratch = new byte[Integer.highestOneBit(len) << 1];
    }
    cipher.doFinal(b, off, len, scratch, 0);
    System.arraycopy(scratch, 0, b, off, len);
  }

  static String macAlgorithm(EspTransform t) {
    return switch (t.integKeyBytes()) {
      case 16 -> "HmacMD5";
      case 20 -> "HmacSHA1";
      case 32 -> "HmacSHA256";
      case 48 -> "HmacSHA384";
      default -> throw new IllegalArgumentException("no HMAC for " + t);
    };
  }

  private void computeIcv(byte[] b, int off, int len, long seq, boolean esn) throws GeneralSecurityException {
    mac.update(b, off, len);
    if (esn) {
      EspCrypto.putSeqHigh(seqHigh, 0, seq);
      mac.update(seqHigh, 0, 4);
    }
    mac.doFinal(macOut, 0);
  }
}
