package dev.vpngw.dataplane.ike.proposal;

import dev.vpngw.dataplane.ike.crypto.DhGroup;
import dev.vpngw.dataplane.ike.crypto.EncryptionAlgorithm;
import dev.vpngw.dataplane.ike.crypto.IntegrityAlgorithm;
import dev.vpngw.dataplane.ike.crypto.PrfAlgorithm;
import java.time.Duration;
import java.util.List;

/**
 * A Connection's {@code ipsecPolicies[0]} in Azure's vocabulary (all eight fields required), turned
 * into IKEv2 transforms. A custom policy replaces the defaults for both initiator and responder.
 *
 * <p>Mapping choices: {@code ikeIntegrity} names the PRF as well as the integrity algorithm; with
 * GCM IKE encryption it names only the PRF (GCMAES128/256 as ikeIntegrity mean PRF HMAC-SHA256).
 * {@code PFSMM} reuses the IKE DH group. {@code DHGroup2048} equals {@code DHGroup14}.
 */
public record AzureIpsecPolicy(int saLifeTimeSeconds, long saDataSizeKilobytes, String ipsecEncryption,
    String ipsecIntegrity, String ikeEncryption, String ikeIntegrity, String dhGroup, String pfsGroup) {

  /** Azure's fixed main-mode (IKE SA) lifetime. */
  public static final Duration IKE_SA_LIFETIME = Duration.ofSeconds(28_800);

  public IkePolicy toIkePolicy() {
    Cipher c = ikeCipher(ikeEncryption);
    IntegrityAlgorithm integ;
    PrfAlgorithm prf;
    switch (require("ikeIntegrity", ikeIntegrity)) {
      case "MD5" -> { integ = IntegrityAlgorithm.HMAC_MD5_96; prf = PrfAlgorithm.HMAC_MD5; }
      case "SHA1" -> { integ = IntegrityAlgorithm.HMAC_SHA1_96; prf = PrfAlgorithm.HMAC_SHA1; }
      case "SHA256" -> { integ = IntegrityAlgorithm.HMAC_SHA2_256_128; prf = PrfAlgorithm.HMAC_SHA2_256; }
      case "SHA384" -> { integ = IntegrityAlgorithm.HMAC_SHA2_384_192; prf = PrfAlgorithm.HMAC_SHA2_384; }
      case "GCMAES128", "GCMAES256" -> {
        if (!c.enc().aead()) {
          throw new IllegalArgumentException("ikeIntegrity " + ikeIntegrity + " requires GCM ikeEncryption, got " + ikeEncryption);
        }
        integ = IntegrityAlgorithm.NONE;
        prf = PrfAlgorithm.HMAC_SHA2_256;
      }
      default -> throw new IllegalArgumentException("ikeIntegrity: unknown value '" + ikeIntegrity
          + "' (allowed: MD5, SHA1, SHA256, SHA384, GCMAES128, GCMAES256)");
    }
    if (c.enc().aead()) {
      integ = IntegrityAlgorithm.NONE;
    }
    DhGroup g = dh("dhGroup", dhGroup);
    if (g == null) {
      throw new IllegalArgumentException("dhGroup: None is not possible for IKEv2 (IKE_SA_INIT always runs a key exchange)");
    }
    return new IkePolicy(List.of(new IkeProposal(c.enc(), c.bits(), integ, prf, List.of(g))), IKE_SA_LIFETIME);
  }

  public ChildPolicy toChildPolicy() {
    if (saLifeTimeSeconds < 300) {
      throw new IllegalArgumentException("saLifeTimeSeconds: " + saLifeTimeSeconds + " is below the minimum 300");
    }
    if (saDataSizeKilobytes != 0 && saDataSizeKilobytes < 1024) {
      throw new IllegalArgumentException("saDataSizeKilobytes: " + saDataSizeKilobytes + " is below the minimum 1024");
    }
    Cipher c = espCipher(ipsecEncryption);
    IntegrityAlgorithm integ = switch (require("ipsecIntegrity", ipsecIntegrity)) {
      case "MD5" -> IntegrityAlgorithm.HMAC_MD5_96;
      case "SHA1" -> IntegrityAlgorithm.HMAC_SHA1_96;
      case "SHA256" -> IntegrityAlgorithm.HMAC_SHA2_256_128;
      case "GCMAES128", "GCMAES192", "GCMAES256" -> {
        if (!ipsecIntegrity.equals(ipsecEncryption)) {
          throw new IllegalArgumentException("ipsecIntegrity " + ipsecIntegrity + " must equal ipsecEncryption ("
              + ipsecEncryption + ") for GCM");
        }
        yield IntegrityAlgorithm.NONE;
      }
      default -> throw new IllegalArgumentException("ipsecIntegrity: unknown value '" + ipsecIntegrity
          + "' (allowed: MD5, SHA1, SHA256, GCMAES128, GCMAES192, GCMAES256)");
    };
    if (c.enc().aead() && integ != IntegrityAlgorithm.NONE) {
      throw new IllegalArgumentException("ipsecEncryption " + ipsecEncryption + " requires ipsecIntegrity " + ipsecEncryption);
    }
    DhGroup pfs = "PFSMM".equals(pfsGroup) ? dh("dhGroup", dhGroup) : dh("pfsGroup", pfsGroup);
    ChildProposal p = new ChildProposal(c.enc(), c.bits(), integ, pfs);
    if (p.espTransform().isEmpty()) {
      throw new IllegalArgumentException("ipsecEncryption " + ipsecEncryption + " with ipsecIntegrity " + ipsecIntegrity
          + " is not supported by the data plane");
    }
    return ChildPolicy.of(List.of(p), Duration.ofSeconds(saLifeTimeSeconds), saDataSizeKilobytes);
  }

  record Cipher(EncryptionAlgorithm enc, int bits) {}

  private static Cipher ikeCipher(String v) {
    return switch (require("ikeEncryption", v)) {
      case "DES" -> new Cipher(EncryptionAlgorithm.DES, 0);
      case "DES3" -> new Cipher(EncryptionAlgorithm.DES3, 0);
      case "AES128" -> new Cipher(EncryptionAlgorithm.AES_CBC, 128);
      case "AES192" -> new Cipher(EncryptionAlgorithm.AES_CBC, 192);
      case "AES256" -> new Cipher(EncryptionAlgorithm.AES_CBC, 256);
      case "GCMAES128" -> new Cipher(EncryptionAlgorithm.AES_GCM_16, 128);
      case "GCMAES256" -> new Cipher(EncryptionAlgorithm.AES_GCM_16, 256);
      default -> throw new IllegalArgumentException("ikeEncryption: unknown value '" + v
          + "' (allowed: DES, DES3, AES128, AES192, AES256, GCMAES128, GCMAES256)");
    };
  }

  private static Cipher espCipher(String v) {
    return switch (require("ipsecEncryption", v)) {
      case "None" -> new Cipher(EncryptionAlgorithm.NULL, 0);
      case "DES" -> new Cipher(EncryptionAlgorithm.DES, 0);
      case "DES3" -> new Cipher(EncryptionAlgorithm.DES3, 0);
      case "AES128" -> new Cipher(EncryptionAlgorithm.AES_CBC, 128);
      case "AES192" -> new Cipher(EncryptionAlgorithm.AES_CBC, 192);
      case "AES256" -> new Cipher(EncryptionAlgorithm.AES_CBC, 256);
      case "GCMAES128" -> new Cipher(EncryptionAlgorithm.AES_GCM_16, 128);
      case "GCMAES192" -> new Cipher(EncryptionAlgorithm.AES_GCM_16, 192);
      case "GCMAES256" -> new Cipher(EncryptionAlgorithm.AES_GCM_16, 256);
      default -> throw new IllegalArgumentException("ipsecEncryption: unknown value '" + v
          + "' (allowed: None, DES, DES3, AES128, AES192, AES256, GCMAES128, GCMAES192, GCMAES256)");
    };
  }

  /** Maps dhGroup/pfsGroup names; null for "None". */
  static DhGroup dh(String field, String v) {
    return switch (require(field, v)) {
      case "None" -> null;
      case "DHGroup1", "PFS1" -> DhGroup.MODP_768;
      case "DHGroup2", "PFS2" -> DhGroup.MODP_1024;
      case "DHGroup14", "DHGroup2048", "PFS14", "PFS2048" -> DhGroup.MODP_2048;
      case "ECP256" -> DhGroup.ECP_256;
      case "ECP384" -> DhGroup.ECP_384;
      case "DHGroup24", "PFS24" -> DhGroup.MODP_2048_256;
      default -> throw new IllegalArgumentException(field + ": unknown value '" + v + "'");
    };
  }

  private static String require(String field, String v) {
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException(field + " is required (Azure does not allow a partial ipsecPolicy)");
    }
    return v.trim();
  }
}
