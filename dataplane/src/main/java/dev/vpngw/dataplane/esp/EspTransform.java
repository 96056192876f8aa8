package dev.vpngw.dataplane.esp;

/**
 * The ESP algorithms a child SA was negotiated with (IANA IKEv2 transform IDs are kept by the IKE
 * side; this is the data plane's view). {@code encKeyBits} excludes the 4-byte GCM salt.
 */
public enum EspTransform {
  AES_GCM_16_128(Kind.AEAD, 128, 0),
  AES_GCM_16_192(Kind.AEAD, 192, 0),
  AES_GCM_16_256(Kind.AEAD, 256, 0),
  AES_CBC_128_HMAC_SHA1_96(Kind.CBC_HMAC, 128, 20),
  AES_CBC_192_HMAC_SHA1_96(Kind.CBC_HMAC, 192, 20),
  AES_CBC_256_HMAC_SHA1_96(Kind.CBC_HMAC, 256, 20),
  AES_CBC_128_HMAC_SHA256_128(Kind.CBC_HMAC, 128, 32),
  AES_CBC_192_HMAC_SHA256_128(Kind.CBC_HMAC, 192, 32),
  AES_CBC_256_HMAC_SHA256_128(Kind.CBC_HMAC, 256, 32),
  AES_CBC_256_HMAC_SHA384_192(Kind.CBC_HMAC, 256, 48),
  DES3_CBC_HMAC_SHA1_96(Kind.CBC_HMAC, 192, 20),
  DES3_CBC_HMAC_SHA256_128(Kind.CBC_HMAC, 192, 32),
  DES_CBC_HMAC_SHA1_96(Kind.CBC_HMAC, 64, 20),
  AES_CBC_256_HMAC_MD5_96(Kind.CBC_HMAC, 256, 16),
  /** ESP_NULL with HMAC-SHA1-96: tests only, never offered by default. */
  NULL_HMAC_SHA1_96(Kind.NULL_HMAC, 0, 20);

  public enum Kind { AEAD, CBC_HMAC, NULL_HMAC }

  private final Kind kind;
  private final int encKeyBits;
  private final int integKeyBytes;

  EspTransform(Kind kind, int encKeyBits, int integKeyBytes) {
    this.kind = kind;
    this.encKeyBits = encKeyBits;
    this.integKeyBytes = integKeyBytes;
  }

  public Kind kind() {
    return kind;
  }

  public int encKeyBits() {
    return encKeyBits;
  }

  /** Bytes of KEYMAT taken for encryption: key plus 4-byte salt for GCM (RFC 4106 §8.1). */
  public int encKeymatBytes() {
    return encKeyBits / 8 + (kind == Kind.AEAD ? 4 : 0);
  }

  public int integKeyBytes() {
    return integKeyBytes;
  }
}
