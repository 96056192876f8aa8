package dev.vpngw.dataplane.ike.crypto;

import dev.vpngw.dataplane.ike.message.MessageProtection;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** SK payload with a CBC cipher and a separate truncated HMAC (RFC 7296 §3.14). */
final class CbcHmacProtection implements MessageProtection {
  private final EncryptionAlgorithm enc;
  private final SecretKeySpec key;
  private final IntegrityAlgorithm integ;
  private final byte[] integKey;
  private final SecureRandom random;

  CbcHmacProtection(EncryptionAlgorithm enc, byte[] encKey, IntegrityAlgorithm integ, byte[] integKey, SecureRandom random) {
    this.enc = enc;
    this.key = new SecretKeySpec(encKey, jceKeyName(enc));
    this.integ = integ;
    this.integKey = integKey.clone();
    this.random = random;
  }

  static String jceKeyName(EncryptionAlgorithm enc) {
    return switch (enc) {
      case DES -> "DES";
      case DES3 -> "DESede";
      case AES_CBC -> "AES";
      default -> throw new IllegalArgumentException(enc + " is not a CBC cipher");
    };
  }

  @Override
  public int ivLength() {
    return enc.ivLength();
  }

  @Override
  public int blockSize() {
    return enc.blockSize();
  }

  @Override
  public int icvLength() {
    return integ.icvLength();
  }

  @Override
  public byte[] newIv() {
    byte[] iv = new byte[enc.ivLength()];
    random.nextBytes(iv);
    return iv;
  }

  private Cipher cipher(int mode, byte[] iv) throws GeneralSecurityException {
    Cipher c = Cipher.getInstance(key.getAlgorithm() + "/CBC/NoPadding");
    c.init(mode, key, new IvParameterSpec(iv));
    return c;
  }

  @Override
  public byte[] seal(byte[] aad, byte[] iv, byte[] plaintext) {
    try {
      byte[] ct = cipher(Cipher.ENCRYPT_MODE, iv).doFinal(plaintext);
      return Bytes.concat(ct, integ.icv(integKey, aad, iv, ct));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("encryption failed", e);
    }
  }

  @Override
  public byte[] open(byte[] aad, byte[] iv, byte[] ciphertextAndIcv) throws IntegrityException {
    int ctLen = ciphertextAndIcv.length - integ.icvLength();
    byte[] ct = Arrays.copyOf(ciphertextAndIcv, ctLen);
    byte[] icv = Arrays.copyOfRange(ciphertextAndIcv, ctLen, ciphertextAndIcv.length);
    if (!MessageDigest.isEqual(icv, integ.icv(integKey, aad, iv, ct))) {
      throw new IntegrityException("ICV mismatch");
    }
    try {
      return cipher(Cipher.DECRYPT_MODE, iv).doFinal(ct);
    } catch (GeneralSecurityException e) {
      throw new IntegrityException("decryption failed: " + e.getMessage());
    }
  }
}
