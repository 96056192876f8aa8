package dev.vpngw.dataplane.ike.proposal;

import dev.vpngw.dataplane.esp.EspTransform;
import dev.vpngw.dataplane.ike.crypto.AlgorithmNames;
import dev.vpngw.dataplane.ike.crypto.DhGroup;
import dev.vpngw.dataplane.ike.crypto.EncryptionAlgorithm;
import dev.vpngw.dataplane.ike.crypto.IntegrityAlgorithm;

/**
 * The algorithms a child SA was negotiated with. {@code pfsGroup} null when no KE was exchanged;
 * {@code esn} when extended sequence numbers (RFC 4304) were chosen.
 */
public record ChildSuite(EncryptionAlgorithm encryption, int keyBits, IntegrityAlgorithm integrity, DhGroup pfsGroup,
    EspTransform espTransform, boolean esn) {

  public ChildSuite(EncryptionAlgorithm encryption, int keyBits, IntegrityAlgorithm integrity, DhGroup pfsGroup,
      EspTransform espTransform) {
    this(encryption, keyBits, integrity, pfsGroup, espTransform, false);
  }

  public int encKeymatBytes() {
    return encryption.keymatBytes(keyBits);
  }

  public int integKeyBytes() {
    return integrity.keyLength();
  }

  @Override
  public String toString() {
    return AlgorithmNames.encryption(encryption, keyBits)
        + (integrity == IntegrityAlgorithm.NONE ? "" : "-" + AlgorithmNames.integrity(integrity))
        + (pfsGroup == null ? "" : "-" + AlgorithmNames.dh(pfsGroup)) + (esn ? "/esn" : "");
  }
}
