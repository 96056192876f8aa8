package dev.vpngw.dataplane.ike.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.agreement.ECDHBasicAgreement;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * ECDH over NIST prime curves with RFC 5903 encoding: KE data is x||y, the secret is x.
 *
 * <p>Bouncy Castle's curve-specific arithmetic rather than the JDK's: one ECDH is the bulk of an
 * IKE_SA_INIT, and the JDK's {@code KeyAgreement} checks every peer point's order with a second
 * full scalar multiplication, which a prime-order curve (cofactor 1) does not need — the on-curve
 * check below is the complete validation (SP 800-56A §5.6.2.3.4). The JDK took about twice as long
 * per key exchange here (BENCHMARKS.md, "Tunnel set-up and scale").
 */
final class EcpKeyExchange implements KeyExchange {
  private static final Map<DhGroup, ECDomainParameters> DOMAINS = new ConcurrentHashMap<>();

  private final DhGroup group;
  private final ECDomainParameters domain;
  private final BigInteger privateKey;
  private final ECPoint publicKey;

  EcpKeyExchange(DhGroup group, SecureRandom random) {
    this(group, randomScalar(domain(group), random));
  }

  /** With a given private scalar: RFC 5903 known-answer tests. */
  EcpKeyExchange(DhGroup group, BigInteger privateKey) {
    this.group = group;
    this.domain = domain(group);
    if (privateKey.signum() <= 0 || privateKey.compareTo(domain.getN()) >= 0) {
      throw new IllegalArgumentException("private key out of range for group " + group.id());
    }
    this.privateKey = privateKey;
    this.publicKey = new FixedPointCombMultiplier().multiply(domain.getG(), privateKey).normalize();
  }

  private static ECDomainParameters domain(DhGroup group) {
    return DOMAINS.computeIfAbsent(group, g -> {
      X9ECParameters x9 = CustomNamedCurves.getByName(g.curve());
      if (x9 == null) {
        throw new IllegalStateException("ECP group " + g.id() + " (" + g.curve() + ") unavailable");
      }
      return new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH(), x9.getSeed());
    });
  }

  private static BigInteger randomScalar(ECDomainParameters d, SecureRandom random) {
    BigInteger n = d.getN();
    while (true) {
      BigInteger k = new BigInteger(n.bitLength(), random);
      if (k.signum() > 0 && k.compareTo(n) < 0) {
        return k;
      }
    }
  }

  @Override
  public DhGroup group() {
    return group;
  }

  @Override
  public byte[] publicValue() {
    return Bytes.concat(publicKey.getAffineXCoord().getEncoded(), publicKey.getAffineYCoord().getEncoded());
  }

  @Override
  public byte[] sharedSecret(byte[] peer) {
    int n = group.coordinateLength();
    if (peer.length != 2 * n) {
      throw new IllegalArgumentException("KE data for group " + group.id() + " has " + peer.length
          + " bytes, expected " + 2 * n);
    }
    try {
      byte[] uncompressed = new byte[1 + 2 * n];
      uncompressed[0] = 0x04;
      System.arraycopy(peer, 0, uncompressed, 1, 2 * n);
      // decodePoint rejects coordinates off the curve; the key parameters reject infinity.
      ECPoint q = domain.getCurve().decodePoint(uncompressed);
      var agreement = new ECDHBasicAgreement();
      agreement.init(new ECPrivateKeyParameters(privateKey, domain));
      BigInteger x = agreement.calculateAgreement(new ECPublicKeyParameters(q, domain));
      return Bytes.fixedLength(x, n);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new IllegalArgumentException("KE point for group " + group.id() + " rejected: " + e.getMessage(), e);
    }
  }
}
