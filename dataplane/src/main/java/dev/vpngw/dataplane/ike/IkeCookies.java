package dev.vpngw.dataplane.ike;

import dev.vpngw.dataplane.ike.crypto.Bytes;
import java.net.InetAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Stateless cookies (RFC 7296 §2.6): Cookie = VersionIDofSecret | SHA-256(Ni | IPi | SPIi | secret).
 * The secret rotates; cookies made with the previous secret stay valid for one more period.
 */
final class IkeCookies {
  private final SecureRandom random;
  private final Clock clock;
  private final Duration rotation;
  private byte[] secret;
  private byte[] previous;
  private byte version;
  private Instant rotatedAt;

  IkeCookies(SecureRandom random, Clock clock, Duration rotation) {
    this.random = random;
    this.clock = clock;
    this.rotation = rotation;
    this.secret = fresh();
    this.rotatedAt = clock.instant();
  }

  private byte[] fresh() {
    byte[] s = new byte[32];
    random.nextBytes(s);
    return s;
  }

  synchronized byte[] make(byte[] ni, InetAddress ip, long spiI) {
    rotate();
    return compute(version, secret, ni, ip, spiI);
  }

  synchronized boolean valid(byte[] cookie, byte[] ni, InetAddress ip, long spiI) {
    rotate();
    if (cookie == null || cookie.length != 33) {
      return false;
    }
    if (cookie[0] == version) {
      return MessageDigest.isEqual(cookie, compute(version, secret, ni, ip, spiI));
    }
    return previous != null && cookie[0] == (byte) (version - 1)
        && MessageDigest.isEqual(cookie, compute(cookie[0], previous, ni, ip, spiI));
  }

  private void rotate() {
    if (Duration.between(rotatedAt, clock.instant()).compareTo(rotation) >= 0) {
      previous = secret;
      secret = fresh();
      version++;
      rotatedAt = clock.instant();
    }
  }

  private static byte[] compute(byte version, byte[] secret, byte[] ni, InetAddress ip, long spiI) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(ni);
      d.update(ip.getAddress());
      d.update(Bytes.u64(spiI));
      d.update(secret);
      byte[] h = d.digest();
      byte[] out = new byte[33];
      out[0] = version;
      System.arraycopy(h, 0, out, 1, 32);
      return out;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
