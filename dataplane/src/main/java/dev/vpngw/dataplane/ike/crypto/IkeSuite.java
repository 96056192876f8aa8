package dev.vpngw.dataplane.ike.crypto;

/**
 * The algorithms an IKE SA was negotiated with. For AEAD encryption {@code integrity} is NONE.
 *
 * @param encryptionKeyBits 0 for fixed-length ciphers
 */
public record IkeSuite(EncryptionAlgorithm encryption, int encryptionKeyBits, PrfAlgorithm prf,
    IntegrityAlgorithm integrity, DhGroup dhGroup) {

  public IkeSuite {
    if (encryption.aead() != (integrity == IntegrityAlgorithm.NONE)) {
      throw new IllegalArgumentException(encryption.aead()
          ? "AEAD encryption " + encryption + " must not have an integrity algorithm"
          : "encryption " + encryption + " needs an integrity algorithm");
    }
  }

  /** strongSwan-style name, e.g. {@code aes256gcm16-prfsha256-ecp256}. */
  @Override
  public String toString() {
    return AlgorithmNames.encryption(encryption, encryptionKeyBits)
        + (integrity == IntegrityAlgorithm.NONE ? "" : "-" + AlgorithmNames.integrity(integrity))
        + "-prf" + AlgorithmNames.prf(prf).replace("prf", "") + "-" + AlgorithmNames.dh(dhGroup);
  }
}
