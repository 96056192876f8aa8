package dev.vpngw.dataplane.ike.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import javax.crypto.KeyAgreement;
import javax.crypto.interfaces.DHPublicKey;
import javax.crypto.spec.DHParameterSpec;
import javax.crypto.spec.DHPublicKeySpec;

/** Finite-field Diffie-Hellman over a MODP group (RFC 7296 §3.4: values are zero-padded to |p|). */
final class ModpKeyExchange implements KeyExchange {
  private final DhGroup group;
  private final KeyPair pair;

  ModpKeyExchange(DhGroup group, SecureRandom random) {
    this.group = group;
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("DH");
      // RFC 5114 groups have a 256-bit subgroup: a 256-bit exponent is as strong and much faster.
      DHParameterSpec spec = group.q() != null
          ? new DHParameterSpec(group.p(), group.g(), group.q().bitLength())
          : new DHParameterSpec(group.p(), group.g());
      g.initialize(spec, random);
      this.pair = g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("DH group " + group.id() + " unavailable", e);
    }
  }

  @Override
  public DhGroup group() {
    return group;
  }

  @Override
  public byte[] publicValue() {
    return Bytes.fixedLength(((DHPublicKey) pair.getPublic()).getY(), group.publicValueLength());
  }

  @Override
  public byte[] sharedSecret(byte[] peer) {
    if (peer.length != group.publicValueLength()) {
      throw new IllegalArgumentException("KE data for group " + group.id() + " has " + peer.length
          + " bytes, expected " + group.publicValueLength());
    }
    BigInteger y = new BigInteger(1, peer);
    // Reject 0, 1 and p-1 and anything >= p: they force a predictable shared secret.
    if (y.compareTo(BigInteger.ONE) <= 0 || y.compareTo(group.p().subtract(BigInteger.ONE)) >= 0) {
      throw new IllegalArgumentException("KE value for group " + group.id() + " out of range");
    }
    try {
      var pub = KeyFactory.getInstance("DH").generatePublic(new DHPublicKeySpec(y, group.p(), group.g()));
      KeyAgreement ka = KeyAgreement.getInstance("DH");
      ka.init(pair.getPrivate());
      ka.doPhase(pub, true);
      return Bytes.fixedLength(new BigInteger(1, ka.generateSecret()), group.publicValueLength());
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("KE value for group " + group.id() + " rejected: " + e.getMessage(), e);
    }
  }
}
