package dev.vpngw.dataplane.config;

import dev.vpngw.crds.v1alpha1.IpsecPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Flags the algorithms of a custom policy that RFC 8247 deprecates (DES, 3DES, MD5, SHA-1, MODP
 * 768/1024, ESP NULL). The connection still runs (Azure allows them); the warning names each field.
 */
final class WeakPolicyCheck {
  private WeakPolicyCheck() {}

  private static final Set<String> WEAK_ENCRYPTION = Set.of("DES", "DES3", "None");
  private static final Set<String> WEAK_INTEGRITY = Set.of("MD5", "SHA1");
  private static final Set<String> WEAK_GROUPS = Set.of("DHGroup1", "DHGroup2", "PFS1", "PFS2");

  static Optional<PlanWarning> check(IpsecPolicy p) {
    String base = "spec.ipsecPolicies[0].";
    var fields = new ArrayList<String>();
    var what = new ArrayList<String>();
    weak(fields, what, base + "ikeEncryption", name(p.ikeEncryption()), WEAK_ENCRYPTION);
    weak(fields, what, base + "ikeIntegrity", name(p.ikeIntegrity()), WEAK_INTEGRITY);
    weak(fields, what, base + "dhGroup", name(p.dhGroup()), WEAK_GROUPS);
    weak(fields, what, base + "ipsecEncryption", name(p.ipsecEncryption()), WEAK_ENCRYPTION);
    weak(fields, what, base + "ipsecIntegrity", name(p.ipsecIntegrity()), WEAK_INTEGRITY);
    weak(fields, what, base + "pfsGroup", name(p.pfsGroup()), WEAK_GROUPS);
    if (fields.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new PlanWarning(PlanWarning.WEAK_CRYPTOGRAPHY, fields,
        "the custom IPsec/IKE policy selects deprecated algorithms: " + String.join(", ", what)));
  }

  private static void weak(List<String> fields, List<String> what, String field, String value, Set<String> weak) {
    if (value != null && weak.contains(value)) {
      fields.add(field);
      what.add(field.substring(field.lastIndexOf('.') + 1) + " " + value);
    }
  }

  private static String name(Enum<?> e) {
    return e == null ? null : e.name();
  }
}
