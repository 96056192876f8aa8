package dev.vpngw.dataplane.esp;

/**
 * The cryptographic transform of one SA for one packet thread (JCE {@code Cipher}/{@code Mac}
 * instances are not thread-safe, and creating them per packet would allocate, so each packet
 * thread gets its own instance, created on first use).
 *
 * <p>Layout at {@code espOff}: SPI(4) | seq(4) | IV(ivLength) | payload+padding+trailer | ICV.
 */
public sealed interface EspCrypto permits GcmCrypto, CbcHmacCrypto {

  int ivLength();

  int icvLength();

  /** Padding alignment of payload + trailer: the cipher block size, at least 4. */
  int alignment();

  /**
   * Writes the IV and ICV and encrypts {@code ptLen} bytes (payload, padding, pad length, next
   * header) in place. SPI and low sequence number are already written.
   */
  void seal(byte[] b, int espOff, int ptLen, long seq, boolean esn);

  /**
   * Out of place: reads the plaintext (payload, padding, pad length, next header) from
   * {@code in[ptOff..ptOff+ptLen)} and writes IV, ciphertext and ICV after the SPI and low sequence
   * number already at {@code out[espOff..espOff+8)}. The default copies, then seals in place.
   */
  default void sealInto(byte[] in, int ptOff, int ptLen, long seq, boolean esn, byte[] out, int espOff) {
    System.arraycopy(in, ptOff, out, espOff + 8 + ivLength(), ptLen);
    seal(out, espOff, ptLen, seq, esn);
  }

  /**
   * Verifies the ICV and decrypts in place. {@code espLen} includes header, IV and ICV.
   *
   * @return false if authentication failed (nothing is trustworthy then)
   */
  boolean open(byte[] b, int espOff, int espLen, long seq, boolean esn);

  static EspCrypto create(EspTransform transform, byte[] encKeymat, byte[] integKey) {
    if (encKeymat.length != transform.encKeymatBytes()) {
      throw new IllegalArgumentException("encKey for " + transform + " must be " + transform.encKeymatBytes()
          + " bytes, got " + encKeymat.length);
    }
    if (integKey.length != transform.integKeyBytes()) {
      throw new IllegalArgumentException("integKey for " + transform + " must be " + transform.integKeyBytes()
          + " bytes, got " + integKey.length);
    }
    return switch (transform.kind()) {
      case AEAD -> new GcmCrypto(encKeymat);
      case CBC_HMAC, NULL_HMAC -> new CbcHmacCrypto(transform, encKeymat, integKey);
    };
  }

  static void putSeqHigh(byte[] dst, int off, long seq) {
    int hi = (int) (seq >>> 32);
    dst[off] = (byte) (hi >>> 24);
    dst[off + 1] = (byte) (hi >>> 16);
    dst[off + 2] = (byte) (hi >>> 8);
    dst[off + 3] = (byte) hi;
  }
}
