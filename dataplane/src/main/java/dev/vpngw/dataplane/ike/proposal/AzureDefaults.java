package dev.vpngw.dataplane.ike.proposal;

import static dev.vpngw.dataplane.ike.crypto.DhGroup.ECP_256;
import static dev.vpngw.dataplane.ike.crypto.DhGroup.ECP_384;
import static dev.vpngw.dataplane.ike.crypto.DhGroup.MODP_1024;
import static dev.vpngw.dataplane.ike.crypto.DhGroup.MODP_2048;
import static dev.vpngw.dataplane.ike.crypto.DhGroup.MODP_2048_256;
import static dev.vpngw.dataplane.ike.crypto.DhGroup.MODP_768;
import static dev.vpngw.dataplane.ike.crypto.EncryptionAlgorithm.AES_CBC;
import static dev.vpngw.dataplane.ike.crypto.EncryptionAlgorithm.AES_GCM_16;
import static dev.vpngw.dataplane.ike.crypto.EncryptionAlgorithm.DES;
import static dev.vpngw.dataplane.ike.crypto.EncryptionAlgorithm.DES3;
import static dev.vpngw.dataplane.ike.crypto.IntegrityAlgorithm.HMAC_SHA1_96;
import static dev.vpngw.dataplane.ike.crypto.IntegrityAlgorithm.HMAC_SHA2_256_128;
import static dev.vpngw.dataplane.ike.crypto.IntegrityAlgorithm.NONE;

import dev.vpngw.dataplane.ike.crypto.DhGroup;
import dev.vpngw.dataplane.ike.crypto.EncryptionAlgorithm;
import dev.vpngw.dataplane.ike.crypto.IntegrityAlgorithm;
import dev.vpngw.dataplane.ike.crypto.PrfAlgorithm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Azure's default policy for route-based gateways (reference doc §4) as IKEv2 proposals.
 *
 * <p>IKE SA: AES256/SHA1, AES256/SHA256, AES128/SHA1, AES128/SHA256, 3DES/SHA1, 3DES/SHA256 (SHAx
 * names both PRF and integrity), each with DH groups 2 (Azure's default, first), then 14, ECP256 and
 * ECP384 so modern peers that refuse group 2 still match (they answer INVALID_KE_PAYLOAD and we
 * retry with their group). Lifetime 28,800 s.
 *
 * <p>Child SA as initiator: the six route-based offers in Azure's order, no PFS. As responder: the
 * 26 offers Azure accepts, with PFS where Azure lists it. Lifetime 27,000 s, 102,400,000 KB.
 */
public final class AzureDefaults {
  private AzureDefaults() {}

  public static final Duration IKE_LIFETIME = Duration.ofSeconds(28_800);
  public static final Duration CHILD_LIFETIME = Duration.ofSeconds(27_000);
  public static final long CHILD_LIFETIME_KB = 102_400_000L;

  public static IkePolicy ikePolicy() {
    List<DhGroup> groups = List.of(MODP_1024, MODP_2048, ECP_256, ECP_384);
    List<IkeProposal> ps = List.of(
        ike(AES_CBC, 256, PrfAlgorithm.HMAC_SHA1, HMAC_SHA1_96, groups),
        ike(AES_CBC, 256, PrfAlgorithm.HMAC_SHA2_256, HMAC_SHA2_256_128, groups),
        ike(AES_CBC, 128, PrfAlgorithm.HMAC_SHA1, HMAC_SHA1_96, groups),
        ike(AES_CBC, 128, PrfAlgorithm.HMAC_SHA2_256, HMAC_SHA2_256_128, groups),
        ike(DES3, 0, PrfAlgorithm.HMAC_SHA1, HMAC_SHA1_96, groups),
        ike(DES3, 0, PrfAlgorithm.HMAC_SHA2_256, HMAC_SHA2_256_128, groups));
    return new IkePolicy(ps, IKE_LIFETIME);
  }

  public static ChildPolicy childPolicy() {
    return new ChildPolicy(childInitiatorProposals(), childResponderProposals(), CHILD_LIFETIME, CHILD_LIFETIME_KB);
  }

  public static List<ChildProposal> childInitiatorProposals() {
    return List.of(
        esp(AES_GCM_16, 256, NONE, null),
        esp(AES_CBC, 256, HMAC_SHA1_96, null),
        esp(DES3, 0, HMAC_SHA1_96, null),
        esp(AES_CBC, 256, HMAC_SHA2_256_128, null),
        esp(AES_CBC, 128, HMAC_SHA1_96, null),
        esp(DES3, 0, HMAC_SHA2_256_128, null));
  }

  public static List<ChildProposal> childResponderProposals() {
    List<ChildProposal> ps = new ArrayList<>(childInitiatorProposals());
    ps.add(esp(DES, 0, HMAC_SHA1_96, null));
    for (DhGroup g : List.of(MODP_768, MODP_1024, MODP_2048, MODP_2048_256)) {
      ps.add(esp(AES_CBC, 256, HMAC_SHA1_96, g));
    }
    for (DhGroup g : List.of(MODP_768, MODP_1024, MODP_2048)) {
      ps.add(esp(AES_CBC, 128, HMAC_SHA1_96, g));
    }
    for (DhGroup g : List.of(MODP_768, MODP_1024, MODP_2048)) {
      ps.add(esp(DES3, 0, HMAC_SHA1_96, g));
    }
    ps.add(esp(DES3, 0, HMAC_SHA2_256_128, MODP_1024));
    for (DhGroup g : List.of(MODP_768, MODP_1024, MODP_2048, MODP_2048_256)) {
      ps.add(esp(AES_CBC, 256, HMAC_SHA2_256_128, g));
    }
    ps.add(esp(AES_CBC, 128, HMAC_SHA2_256_128, null));
    for (DhGroup g : List.of(MODP_768, MODP_1024, MODP_2048)) {
      ps.add(esp(AES_CBC, 128, HMAC_SHA2_256_128, g));
    }
    return List.copyOf(ps);
  }

  /** Not an Azure default, but what modern peers often propose: accepted too when listed explicitly. */
  public static List<ChildProposal> modernEcpPfs() {
    return List.of(esp(AES_GCM_16, 256, NONE, ECP_256), esp(AES_GCM_16, 256, NONE, ECP_384));
  }

  private static IkeProposal ike(EncryptionAlgorithm e, int bits, PrfAlgorithm prf, IntegrityAlgorithm i, List<DhGroup> g) {
    return new IkeProposal(e, bits, i, prf, g);
  }

  private static ChildProposal esp(EncryptionAlgorithm e, int bits, IntegrityAlgorithm i, DhGroup pfs) {
    return new ChildProposal(e, bits, i, pfs);
  }
}
