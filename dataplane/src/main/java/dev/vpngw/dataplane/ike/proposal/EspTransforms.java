package dev.vpngw.dataplane.ike.proposal;

import dev.vpngw.dataplane.esp.EspTransform;
import dev.vpngw.dataplane.ike.crypto.EncryptionAlgorithm;
import dev.vpngw.dataplane.ike.crypto.IntegrityAlgorithm;
import java.util.Optional;

/** Maps negotiated ESP algorithms onto the data plane's {@link EspTransform} set. */
public final class EspTransforms {
  private EspTransforms() {}

  public static Optional<EspTransform> of(EncryptionAlgorithm enc, int bits, IntegrityAlgorithm integ) {
    EspTransform t = switch (enc) {
      case AES_GCM_16 -> switch (bits) {
        case 128 -> EspTransform.AES_GCM_16_128;
        case 192 -> EspTransform.AES_GCM_16_192;
        case 256 -> EspTransform.AES_GCM_16_256;
        default -> null;
      };
      case AES_CBC -> switch (integ) {
        case HMAC_SHA1_96 -> bits == 128 ? EspTransform.AES_CBC_128_HMAC_SHA1_96
            : bits == 192 ? EspTransform.AES_CBC_192_HMAC_SHA1_96 : EspTransform.AES_CBC_256_HMAC_SHA1_96;
        case HMAC_SHA2_256_128 -> bits == 128 ? EspTransform.AES_CBC_128_HMAC_SHA256_128
            : bits == 192 ? EspTransform.AES_CBC_192_HMAC_SHA256_128 : EspTransform.AES_CBC_256_HMAC_SHA256_128;
        case HMAC_SHA2_384_192 -> bits == 256 ? EspTransform.AES_CBC_256_HMAC_SHA384_192 : null;
        case HMAC_MD5_96 -> bits == 256 ? EspTransform.AES_CBC_256_HMAC_MD5_96 : null;
        default -> null;
      };
      case DES3 -> switch (integ) {
        case HMAC_SHA1_96 -> EspTransform.DES3_CBC_HMAC_SHA1_96;
        case HMAC_SHA2_256_128 -> EspTransform.DES3_CBC_HMAC_SHA256_128;
        default -> null;
      };
      case DES -> integ == IntegrityAlgorithm.HMAC_SHA1_96 ? EspTransform.DES_CBC_HMAC_SHA1_96 : null;
      case NULL -> integ == IntegrityAlgorithm.HMAC_SHA1_96 ? EspTransform.NULL_HMAC_SHA1_96 : null;
    };
    return Optional.ofNullable(t);
  }
}
