package dev.vpngw.dataplane.ike.message;

/**
 * Seals and opens the SK/SKF payload of one direction of an IKE SA (implemented in
 * {@code ike.crypto}). {@code aad} is every byte from the IKE header through the SK/SKF payload
 * header; for CBC+HMAC the ICV covers aad|iv|ciphertext, for AEAD aad is the associated data.
 */
public interface MessageProtection {
  int ivLength();

  /** Plaintext must be a multiple of this (1 for AEAD). */
  int blockSize();

  int icvLength();

  byte[] newIv();

  /** Returns ciphertext followed by the ICV. */
  byte[] seal(byte[] aad, byte[] iv, byte[] plaintext);

  /** Returns the plaintext, or throws when the ICV does not verify. */
  byte[] open(byte[] aad, byte[] iv, byte[] ciphertextAndIcv) throws IntegrityException;

  final class IntegrityException extends Exception {
    public IntegrityException(String message) {
      super(message);
    }
  }
}
