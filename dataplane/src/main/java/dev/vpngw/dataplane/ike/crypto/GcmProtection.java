package dev.vpngw.dataplane.ike.crypto;

import dev.vpngw.dataplane.ike.message.MessageProtection;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * SK payload with AES-GCM and a 16-byte ICV (RFC 5282): nonce = 4-byte salt from the keying
 * material | 8-byte explicit IV. The IV is a counter from a random start so it never repeats
 * under one key.
 */
final class GcmProtection implements MessageProtection {
  private final SecretKeySpec key;
  private final byte[] salt;
  private long counter;

  GcmProtection(byte[] keyAndSalt, SecureRandom random) {
    int keyLen = keyAndSalt.length - 4;
    this.key = new SecretKeySpec(keyAndSalt, 0, keyLen, "AES");
    this.salt = java.util.Arrays.copyOfRange(keyAndSalt, keyLen, keyAndSalt.length);
    this.counter = random.nextLong();
  }

  @Override
  public int ivLength() {
    return 8;
  }

  @Override
  public int blockSize() {
    return 1;
  }

  @Override
  public int icvLength() {
    return 16;
  }

  @Override
  public byte[] newIv() {
    return Bytes.u64(counter++);
  }

  private Cipher cipher(int mode, byte[] aad, byte[] iv) throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(mode, key, new GCMParameterSpec(128, Bytes.concat(salt, iv)));
    c.updateAAD(aad);
    return c;
  }

  @Override
  public byte[] seal(byte[] aad, byte[] iv, byte[] plaintext) {
    try {
      return cipher(Cipher.ENCRYPT_MODE, aad, iv).doFinal(plaintext);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("GCM encryption failed", e);
    }
  }

  @Override
  public byte[] open(byte[] aad, byte[] iv, byte[] ciphertextAndIcv) throws IntegrityException {
    try {
      return cipher(Cipher.DECRYPT_MODE, aad, iv).doFinal(ciphertextAndIcv);
    } catch (AEADBadTagException e) {
      throw new IntegrityException("GCM tag mismatch");
    } catch (GeneralSecurityException e) {
      throw new IntegrityException("GCM decryption failed: " + e.getMessage());
    }
  }
}
