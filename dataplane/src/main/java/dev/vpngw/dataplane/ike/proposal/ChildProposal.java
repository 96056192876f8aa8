package dev.vpngw.dataplane.ike.proposal;

import dev.vpngw.dataplane.ike.crypto.AlgorithmNames;
import dev.vpngw.dataplane.ike.crypto.DhGroup;
import dev.vpngw.dataplane.ike.crypto.EncryptionAlgorithm;
import dev.vpngw.dataplane.ike.crypto.IntegrityAlgorithm;
import dev.vpngw.dataplane.ike.message.Proposal;
import dev.vpngw.dataplane.ike.message.Transform;
import dev.vpngw.dataplane.esp.EspTransform;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One ESP proposal: cipher, integrity (NONE with AEAD), optional PFS group. Which ESN values (RFC
 * 4304) go with it is the policy's choice, given to {@link #toWire(int, int, boolean, List)}.
 *
 * @param pfsGroup null for no PFS
 */
public record ChildProposal(EncryptionAlgorithm encryption, int keyBits, IntegrityAlgorithm integrity, DhGroup pfsGroup) {

  public ChildProposal {
    if (!encryption.acceptsKeyBits(keyBits)) {
      throw new IllegalArgumentException("ESP proposal: " + encryption + " does not take a " + keyBits + "-bit key");
    }
    if (encryption.aead() && integrity != IntegrityAlgorithm.NONE) {
      throw new IllegalArgumentException("ESP proposal: " + encryption + " is AEAD and takes no integrity algorithm");
    }
    if (!encryption.aead() && integrity == IntegrityAlgorithm.NONE) {
      throw new IllegalArgumentException("ESP proposal: " + encryption + " needs an integrity algorithm");
    }
  }

  /** The data plane's transform for this proposal, empty when the ESP engine cannot run it. */
  public Optional<EspTransform> espTransform() {
    return EspTransforms.of(encryption, keyBits, integrity);
  }

  /**
   * Encodes as one ESP proposal; {@code withKe} adds the PFS group (CREATE_CHILD_SA only, RFC 7296
   * §1.2: IKE_AUTH carries no KE).
   */
  public Proposal toWire(int number, int spi, boolean withKe) {
    return toWire(number, spi, withKe, List.of(false));
  }

  /** As {@link #toWire(int, int, boolean)} with one ESN transform per value, in this order (true = ESN). */
  public Proposal toWire(int number, int spi, boolean withKe, List<Boolean> esnValues) {
    List<Transform> ts = new ArrayList<>();
    ts.add(Transform.of(Transform.ENCR, encryption.id(), encryption.variableKey() ? keyBits : 0));
    if (integrity != IntegrityAlgorithm.NONE) {
      ts.add(Transform.of(Transform.INTEG, integrity.id()));
    }
    if (withKe && pfsGroup != null) {
      ts.add(Transform.of(Transform.DH, pfsGroup.id()));
    }
    esnValues.forEach(esn -> ts.add(Transform.of(Transform.ESN, esn ? 1 : 0)));
    byte[] s = {(byte) (spi >>> 24), (byte) (spi >>> 16), (byte) (spi >>> 8), (byte) spi};
    return new Proposal(number, Proposal.PROTO_ESP, s, ts);
  }

  public ChildProposal withoutPfs() {
    return new ChildProposal(encryption, keyBits, integrity, null);
  }

  @Override
  public String toString() {
    return AlgorithmNames.encryption(encryption, keyBits)
        + (integrity == IntegrityAlgorithm.NONE ? "" : "-" + AlgorithmNames.integrity(integrity))
        + (pfsGroup == null ? "" : "-" + AlgorithmNames.dh(pfsGroup));
  }
}
