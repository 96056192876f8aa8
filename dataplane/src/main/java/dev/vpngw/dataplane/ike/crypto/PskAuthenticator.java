package dev.vpngw.dataplane.ike.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Shared-key MIC authentication (RFC 7296 §2.15):
 * AUTH = prf(prf(PSK, "Key Pad for IKEv2"), RealMessage | Nonce(peer) | prf(SK_p, IDpayload body)).
 * Certificates would add a signature authenticator computing over the same octets.
 */
public final class PskAuthenticator {
  private static final byte[] KEY_PAD = "Key Pad for IKEv2".getBytes(StandardCharsets.US_ASCII);

  private PskAuthenticator() {}

  /** The octets every authentication method signs or MACs. */
  public static byte[] signedOctets(PrfAlgorithm prf, byte[] realMessage, byte[] peerNonce, byte[] skP, byte[] idBody) {
    return Bytes.concat(realMessage, peerNonce, prf.apply(skP, idBody));
  }

  public static byte[] authData(PrfAlgorithm prf, byte[] psk, byte[] signedOctets) {
    return prf.apply(prf.apply(psk, KEY_PAD), signedOctets);
  }

  public static boolean verify(PrfAlgorithm prf, byte[] psk, byte[] signedOctets, byte[] received) {
    return MessageDigest.isEqual(authData(prf, psk, signedOctets), received);
  }
}
