package dev.vpngw.dataplane.ike.crypto;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;

/** ECDH over NIST prime curves with RFC 5903 encoding: KE data is x||y, the secret is x. */
final class EcpKeyExchange implements KeyExchange {
  private final DhGroup group;
  private final KeyPair pair;
  private final ECParameterSpec params;

  EcpKeyExchange(DhGroup group, SecureRandom random) {
    this(group, generate(group, random));
  }

  /** With a given key pair: RFC 5903 known-answer tests. */
  EcpKeyExchange(DhGroup group, KeyPair pair) {
    this.group = group;
    this.pair = pair;
    try {
      AlgorithmParameters ap = AlgorithmParameters.getInstance("EC");
      ap.init(new ECGenParameterSpec(group.curve()));
      this.params = ap.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ECP group " + group.id() + " unavailable", e);
    }
  }

  private static KeyPair generate(DhGroup group, SecureRandom random) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec(group.curve()), random);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ECP group " + group.id() + " unavailable", e);
    }
  }

  @Override
  public DhGroup group() {
    return group;
  }

  @Override
  public byte[] publicValue() {
    ECPoint w = ((ECPublicKey) pair.getPublic()).getW();
    int n = group.coordinateLength();
    return Bytes.concat(Bytes.fixedLength(w.getAffineX(), n), Bytes.fixedLength(w.getAffineY(), n));
  }

  @Override
  public byte[] sharedSecret(byte[] peer) {
    int n = group.coordinateLength();
    if (peer.length != 2 * n) {
      throw new IllegalArgumentException("KE data for group " + group.id() + " has " + peer.length
          + " bytes, expected " + 2 * n);
    }
    ECPoint w = new ECPoint(new BigInteger(1, Arrays.copyOf(peer, n)), new BigInteger(1, Arrays.copyOfRange(peer, n, 2 * n)));
    try {
      // The JDK validates that the point is on the curve when the agreement runs.
      var pub = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, params));
      KeyAgreement ka = KeyAgreement.getInstance("ECDH");
      ka.init(pair.getPrivate());
      ka.doPhase(pub, true);
      return Bytes.fixedLength(new BigInteger(1, ka.generateSecret()), n);
    } catch (GeneralSecurityException | IllegalStateException e) {
      throw new IllegalArgumentException("KE point for group " + group.id() + " rejected: " + e.getMessage(), e);
    }
  }
}
