package dev.vpngw.dataplane.ike.crypto;

/** One side of a Diffie-Hellman exchange; the private value never leaves the object. */
public interface KeyExchange {
  DhGroup group();

  /** Our public value in IKEv2 KE payload encoding. */
  byte[] publicValue();

  /**
   * The shared secret g^ir for the peer's KE payload data.
   *
   * @throws IllegalArgumentException when the peer's value has the wrong length or is not valid
   */
  byte[] sharedSecret(byte[] peerPublicValue);
}
