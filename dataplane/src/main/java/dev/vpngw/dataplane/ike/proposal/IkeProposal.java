package dev.vpngw.dataplane.ike.proposal;

import dev.vpngw.dataplane.ike.crypto.AlgorithmNames;
import dev.vpngw.dataplane.ike.crypto.DhGroup;
import dev.vpngw.dataplane.ike.crypto.EncryptionAlgorithm;
import dev.vpngw.dataplane.ike.crypto.IntegrityAlgorithm;
import dev.vpngw.dataplane.ike.crypto.PrfAlgorithm;
import dev.vpngw.dataplane.ike.message.Proposal;
import dev.vpngw.dataplane.ike.message.Transform;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One IKE SA proposal we offer or accept: one cipher, one PRF, one integrity algorithm (NONE with
 * AEAD) and the key exchange groups in preference order.
 */
public record IkeProposal(EncryptionAlgorithm encryption, int keyBits, IntegrityAlgorithm integrity, PrfAlgorithm prf,
    List<DhGroup> dhGroups) {

  public IkeProposal {
    dhGroups = List.copyOf(dhGroups);
    if (dhGroups.isEmpty()) {
      throw new IllegalArgumentException("IKE proposal needs a DH group");
    }
    if (!encryption.acceptsKeyBits(keyBits)) {
      throw new IllegalArgumentException("IKE proposal: " + encryption + " does not take a " + keyBits + "-bit key");
    }
    if (encryption.aead() != (integrity == IntegrityAlgorithm.NONE)) {
      throw new IllegalArgumentException("IKE proposal: " + encryption
          + (encryption.aead() ? " is AEAD and takes no integrity algorithm" : " needs an integrity algorithm"));
    }
    if (encryption == EncryptionAlgorithm.NULL) {
      throw new IllegalArgumentException("IKE proposal: NULL encryption is not allowed for IKE");
    }
  }

  /** Encodes as one proposal substructure. */
  public Proposal toWire(int number, byte[] spi) {
    List<Transform> ts = new ArrayList<>();
    ts.add(Transform.of(Transform.ENCR, encryption.id(), encryption.variableKey() ? keyBits : 0));
    ts.add(Transform.of(Transform.PRF, prf.id()));
    if (integrity != IntegrityAlgorithm.NONE) {
      ts.add(Transform.of(Transform.INTEG, integrity.id()));
    }
    dhGroups.forEach(g -> ts.add(Transform.of(Transform.DH, g.id())));
    return new Proposal(number, Proposal.PROTO_IKE, spi, ts);
  }

  @Override
  public String toString() {
    return AlgorithmNames.encryption(encryption, keyBits)
        + (integrity == IntegrityAlgorithm.NONE ? "" : "-" + AlgorithmNames.integrity(integrity))
        + "-" + AlgorithmNames.prf(prf) + "-"
        + dhGroups.stream().map(AlgorithmNames::dh).collect(Collectors.joining("-"));
  }
}
