package dev.vpngw.dataplane.ike.crypto;

/**
 * Encryption algorithms (transform type 1) we implement. AES-GCM with a 16-byte ICV is an AEAD
 * (RFC 5282 for IKE, RFC 4106 for ESP); its keying material carries a 4-byte salt after the key.
 */
public enum EncryptionAlgorithm {
  DES(2, 8, 8, false, false),
  DES3(3, 8, 8, false, false),
  NULL(11, 1, 0, false, false),
  AES_CBC(12, 16, 16, true, false),
  AES_GCM_16(20, 1, 8, true, true);

  private final int id;
  private final int blockSize;
  private final int ivLength;
  private final boolean variableKey;
  private final boolean aead;

  EncryptionAlgorithm(int id, int blockSize, int ivLength, boolean variableKey, boolean aead) {
    this.id = id;
    this.blockSize = blockSize;
    this.ivLength = ivLength;
    this.variableKey = variableKey;
    this.aead = aead;
  }

  public int id() {
    return id;
  }

  public int blockSize() {
    return blockSize;
  }

  public int ivLength() {
    return ivLength;
  }

  public boolean aead() {
    return aead;
  }

  /** True when the transform needs a Key Length attribute. */
  public boolean variableKey() {
    return variableKey;
  }

  public static EncryptionAlgorithm byId(int id) {
    for (EncryptionAlgorithm a : values()) {
      if (a.id == id) {
        return a;
      }
    }
    return null;
  }

  /** Whether {@code bits} is a legal key length (0 = the attribute is absent). */
  public boolean acceptsKeyBits(int bits) {
    return switch (this) {
      case DES -> bits == 0 || bits == 64;
      case DES3 -> bits == 0 || bits == 192;
      case NULL -> bits == 0;
      case AES_CBC, AES_GCM_16 -> bits == 128 || bits == 192 || bits == 256;
    };
  }

  /** Key bytes (without salt) for a key length attribute value. */
  public int keyBytes(int bits) {
    return switch (this) {
      case DES -> 8;
      case DES3 -> 24;
      case NULL -> 0;
      case AES_CBC, AES_GCM_16 -> bits / 8;
    };
  }

  /** Bytes taken from the keying material: key plus 4-byte salt for GCM. */
  public int keymatBytes(int bits) {
    return keyBytes(bits) + (aead ? 4 : 0);
  }
}
