package dev.vpngw.dataplane.ike.crypto;

/** strongSwan's proposal keywords, so status reads the same as {@code swanctl --list-sas}. */
public final class AlgorithmNames {
  private AlgorithmNames() {}

  public static String encryption(EncryptionAlgorithm e, int bits) {
    return switch (e) {
      case DES -> "des";
      case DES3 -> "3des";
      case NULL -> "null";
      case AES_CBC -> "aes" + bits;
      case AES_GCM_16 -> "aes" + bits + "gcm16";
    };
  }

  public static String integrity(IntegrityAlgorithm i) {
    return switch (i) {
      case NONE -> "none";
      case HMAC_MD5_96 -> "md5";
      case HMAC_SHA1_96 -> "sha1";
      case HMAC_SHA2_256_128 -> "sha256";
      case HMAC_SHA2_384_192 -> "sha384";
      case HMAC_SHA2_512_256 -> "sha512";
    };
  }

  public static String prf(PrfAlgorithm p) {
    return switch (p) {
      case HMAC_MD5 -> "prfmd5";
      case HMAC_SHA1 -> "prfsha1";
      case HMAC_SHA2_256 -> "prfsha256";
      case HMAC_SHA2_384 -> "prfsha384";
      case HMAC_SHA2_512 -> "prfsha512";
    };
  }

  public static String dh(DhGroup g) {
    return switch (g) {
      case MODP_768 -> "modp768";
      case MODP_1024 -> "modp1024";
      case MODP_1536 -> "modp1536";
      case MODP_2048 -> "modp2048";
      case MODP_3072 -> "modp3072";
      case MODP_4096 -> "modp4096";
      case MODP_2048_256 -> "modp2048s256";
      case ECP_256 -> "ecp256";
      case ECP_384 -> "ecp384";
    };
  }
}
