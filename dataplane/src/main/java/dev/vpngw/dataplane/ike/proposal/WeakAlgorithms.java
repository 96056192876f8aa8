package dev.vpngw.dataplane.ike.proposal;

import dev.vpngw.dataplane.ike.crypto.DhGroup;
import dev.vpngw.dataplane.ike.crypto.EncryptionAlgorithm;
import dev.vpngw.dataplane.ike.crypto.IkeSuite;
import dev.vpngw.dataplane.ike.crypto.IntegrityAlgorithm;
import dev.vpngw.dataplane.ike.crypto.PrfAlgorithm;
import java.util.ArrayList;
import java.util.List;

/**
 * Names the weak algorithms in a negotiated suite so status can raise a condition: DES, 3DES, MD5,
 * SHA-1 integrity/PRF and the 768/1024-bit MODP groups (RFC 8247 "MUST NOT"/"SHOULD NOT").
 */
public final class WeakAlgorithms {
  private WeakAlgorithms() {}

  public static List<String> of(IkeSuite s) {
    List<String> weak = new ArrayList<>();
    enc(s.encryption(), weak);
    integ(s.integrity(), weak);
    if (s.prf() == PrfAlgorithm.HMAC_MD5) {
      weak.add("PRF HMAC-MD5");
    } else if (s.prf() == PrfAlgorithm.HMAC_SHA1) {
      weak.add("PRF HMAC-SHA1");
    }
    dh(s.dhGroup(), weak);
    return weak;
  }

  public static List<String> of(ChildSuite s) {
    List<String> weak = new ArrayList<>();
    enc(s.encryption(), weak);
    integ(s.integrity(), weak);
    if (s.pfsGroup() != null) {
      dh(s.pfsGroup(), weak);
    }
    return weak;
  }

  private static void enc(EncryptionAlgorithm e, List<String> weak) {
    switch (e) {
      case DES -> weak.add("encryption DES");
      case DES3 -> weak.add("encryption 3DES");
      case NULL -> weak.add("encryption NULL");
      default -> { }
    }
  }

  private static void integ(IntegrityAlgorithm i, List<String> weak) {
    switch (i) {
      case HMAC_MD5_96 -> weak.add("integrity HMAC-MD5-96");
      case HMAC_SHA1_96 -> weak.add("integrity HMAC-SHA1-96");
      default -> { }
    }
  }

  private static void dh(DhGroup g, List<String> weak) {
    if (g == DhGroup.MODP_768 || g == DhGroup.MODP_1024) {
      weak.add("DH group " + g.id() + " (" + g.name() + ")");
    }
  }
}
