package dev.vpngw.dataplane.ike.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.crypto.agreement.DHStandardGroups;
import org.bouncycastle.crypto.params.DHParameters;

/**
 * Key exchange groups (transform type 4). MODP groups run on the JDK's DiffieHellman with explicit
 * parameters; Bouncy Castle is used only for the RFC 2409/3526/5114 group constants, which the JDK
 * does not publish (and RFC 5114's group 24 from its text, see {@link Rfc5114}). ECP groups use the JDK's EC with RFC 5903 x||y encoding.
 */
public enum DhGroup {
  MODP_768(1, DHStandardGroups.rfc2409_768),
  MODP_1024(2, DHStandardGroups.rfc2409_1024),
  MODP_1536(5, DHStandardGroups.rfc3526_1536),
  MODP_2048(14, DHStandardGroups.rfc3526_2048),
  MODP_3072(15, DHStandardGroups.rfc3526_3072),
  MODP_4096(16, DHStandardGroups.rfc3526_4096),
  ECP_256(19, "secp256r1", 32),
  ECP_384(20, "secp384r1", 48),
  MODP_2048_256(24, Rfc5114.MODP_2048_256);

  private final int id;
  private final DHParameters modp;
  private final String curve;
  private final int coordinateLength;

  DhGroup(int id, DHParameters modp) {
    this.id = id;
    this.modp = modp;
    this.curve = null;
    this.coordinateLength = 0;
  }

  DhGroup(int id, String curve, int coordinateLength) {
    this.id = id;
    this.modp = null;
    this.curve = curve;
    this.coordinateLength = coordinateLength;
  }

  public int id() {
    return id;
  }

  public boolean isEcp() {
    return curve != null;
  }

  /** Length of the KE payload data for this group. */
  public int publicValueLength() {
    return isEcp() ? 2 * coordinateLength : (modp.getP().bitLength() + 7) / 8;
  }

  BigInteger p() {
    return modp.getP();
  }

  BigInteger g() {
    return modp.getG();
  }

  /** Subgroup order for RFC 5114 groups (used to size the private exponent), null otherwise. */
  BigInteger q() {
    return modp.getQ();
  }

  String curve() {
    return curve;
  }

  int coordinateLength() {
    return coordinateLength;
  }

  public static DhGroup byId(int id) {
    for (DhGroup g : values()) {
      if (g.id == id) {
        return g;
      }
    }
    return null;
  }

  public KeyExchange newKeyExchange(SecureRandom random) {
    return isEcp() ? new EcpKeyExchange(this, random) : new ModpKeyExchange(this, random);
  }
}
