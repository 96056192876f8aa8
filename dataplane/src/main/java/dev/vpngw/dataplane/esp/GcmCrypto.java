package dev.vpngw.dataplane.esp;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-GCM with a 16-byte ICV for ESP (RFC 4106): nonce = 4-byte salt from KEYMAT || 8-byte
 * explicit IV; AAD = SPI || seq, or SPI || seq-high || seq-low with ESN (RFC 4106 §5).
 *
 * <p>The explicit IV is the 64-bit sequence number: unique per key by construction (RFC 4106 §3.1
 * allows a counter), no random source on the packet path.
 *
 * <p>Allocation: the JCE forces a fresh {@code init} per packet (it refuses to reuse a GCM IV and
 * has no API to change only the IV), which allocates a {@link GCMParameterSpec} (plus its IV copy)
 * and the provider's per-operation GCM engine state. A forged packet also allocates the
 * {@link AEADBadTagException}. Everything else here is reused.
 */
final class GcmCrypto implements EspCrypto {
  static final int IV_LEN = 8;
  static final int ICV_LEN = 16;

  private final Cipher cipher;
  private final SecretKeySpec key;
  private final byte[] nonce = new byte[12];
  private final byte[] aad = new byte[12];

  GcmCrypto(byte[] keymat) {
    int keyLen = keymat.length - 4;
    this.key = new SecretKeySpec(keymat, 0, keyLen, "AES");
    System.arraycopy(keymat, keyLen, nonce, 0, 4);
    try {
      this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JCE lacks AES/GCM/NoPadding", e);
    }
  }

  @Override
  public int ivLength() {
    return IV_LEN;
  }

  @Override
  public int icvLength() {
    return ICV_LEN;
  }

  @Override
  public int alignment() {
    return 4;
  }

  private int buildAad(byte[] b, int espOff, long seq, boolean esn) {
    System.arraycopy(b, espOff, aad, 0, 4);
    if (esn) {
      EspCrypto.putSeqHigh(aad, 4, seq);
      System.arraycopy(b, espOff + 4, aad, 8, 4);
      return 12;
    }
    System.arraycopy(b, espOff + 4, aad, 4, 4);
    return 8;
  }

  @Override
  public void seal(byte[] b, int espOff, int ptLen, long seq, boolean esn) {
    int ivOff = espOff + 8;
    for (int i = 0; i < 8; i++) {
      b[ivOff + i] = (byte) (seq >>> (56 - 8 * i));
    }
    sealWithIv(b, espOff, ptLen, seq, esn);
  }

  /** No copy: the cipher reads the segment where it lies and writes straight into the batch. */
  @Override
  public void sealInto(byte[] in, int ptOff, int ptLen, long seq, boolean esn, byte[] out, int espOff) {
    int ivOff = espOff + 8;
    for (int i = 0; i < 8; i++) {
      out[ivOff + i] = (byte) (seq >>> (56 - 8 * i));
      nonce[4 + i] = out[ivOff + i];
    }
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(ICV_LEN * 8, nonce));
      cipher.updateAAD(aad, 0, buildAad(out, espOff, seq, esn));
      cipher.doFinal(in, ptOff, ptLen, out, ivOff + IV_LEN);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM seal failed", e);
    }
  }

  /** Seals with the IV already at {@code espOff + 8} (known-answer tests use the vectors' IVs). */
  void sealWithIv(byte[] b, int espOff, int ptLen, long seq, boolean esn) {
    int ivOff = espOff + 8;
    System.arraycopy(b, ivOff, nonce, 4, IV_LEN);
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(ICV_LEN * 8, nonce));
      cipher.updateAAD(aad, 0, buildAad(b, espOff, seq, esn));
      cipher.doFinal(b, ivOff + IV_LEN, ptLen, b, ivOff + IV_LEN);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM seal failed", e);
    }
  }

  @Override
  public boolean open(byte[] b, int espOff, int espLen, long seq, boolean esn) {
    int ivOff = espOff + 8;
    System.arraycopy(b, ivOff, nonce, 4, IV_LEN);
    try {
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(ICV_LEN * 8, nonce));
      cipher.updateAAD(aad, 0, buildAad(b, espOff, seq, esn));
      cipher.doFinal(b, ivOff + IV_LEN, espLen - 8 - IV_LEN, b, ivOff + IV_LEN);
      return true;
    } catch (AEADBadTagException e) {
      return false;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
