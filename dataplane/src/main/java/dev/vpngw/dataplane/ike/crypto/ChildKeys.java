package dev.vpngw.dataplane.ike.crypto;

import java.util.Arrays;

/**
 * Child SA keying material (RFC 7296 §2.17): KEYMAT = prf+(SK_d, [g^ir (new)] | Ni | Nr), taken as
 * encryption then integrity key for initiator→responder, then the same for responder→initiator.
 * GCM encryption keys include their 4-byte salt. Never printed.
 */
public final class ChildKeys {
  private final byte[] encI;
  private final byte[] integI;
  private final byte[] encR;
  private final byte[] integR;

  private ChildKeys(byte[] encI, byte[] integI, byte[] encR, byte[] integR) {
    this.encI = encI;
    this.integI = integI;
    this.encR = encR;
    this.integR = integR;
  }

  /** {@code sharedSecret} is null when the exchange had no KE payloads (no PFS, or IKE_AUTH). */
  public static ChildKeys derive(PrfAlgorithm prf, byte[] skD, byte[] sharedSecret, byte[] ni, byte[] nr,
      int encKeymatBytes, int integKeyBytes) {
    byte[] seed = sharedSecret == null ? Bytes.concat(ni, nr) : Bytes.concat(sharedSecret, ni, nr);
    byte[] k = prf.prfPlus(skD, seed, 2 * (encKeymatBytes + integKeyBytes));
    int o = 0;
    byte[] ei = Arrays.copyOfRange(k, o, o += encKeymatBytes);
    byte[] ai = Arrays.copyOfRange(k, o, o += integKeyBytes);
    byte[] er = Arrays.copyOfRange(k, o, o += encKeymatBytes);
    byte[] ar = Arrays.copyOfRange(k, o, o += integKeyBytes);
    return new ChildKeys(ei, ai, er, ar);
  }

  /** Keys protecting traffic sent by the child SA's initiator ({@code true}) or responder. */
  public byte[] encryptionKey(boolean initiatorToResponder) {
    return (initiatorToResponder ? encI : encR).clone();
  }

  public byte[] integrityKey(boolean initiatorToResponder) {
    return (initiatorToResponder ? integI : integR).clone();
  }

  @Override
  public String toString() {
    return "ChildKeys[hidden]";
  }
}
