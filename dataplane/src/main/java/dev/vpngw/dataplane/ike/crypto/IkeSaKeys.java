package dev.vpngw.dataplane.ike.crypto;

import dev.vpngw.dataplane.ike.message.MessageProtection;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The keys of one IKE SA (RFC 7296 §2.14) and the algorithms they belong to. Never printed.
 */
public final class IkeSaKeys {
  private final IkeSuite suite;
  private final byte[] skD;
  private final byte[] skAi;
  private final byte[] skAr;
  private final byte[] skEi;
  private final byte[] skEr;
  private final byte[] skPi;
  private final byte[] skPr;

  private IkeSaKeys(IkeSuite suite, byte[] keymat) {
    this.suite = suite;
    int prfLen = suite.prf().outputLength();
    int integLen = suite.integrity().keyLength();
    int encLen = suite.encryption().keymatBytes(suite.encryptionKeyBits());
    int o = 0;
    skD = Arrays.copyOfRange(keymat, o, o += prfLen);
    skAi = Arrays.copyOfRange(keymat, o, o += integLen);
    skAr = Arrays.copyOfRange(keymat, o, o += integLen);
    skEi = Arrays.copyOfRange(keymat, o, o += encLen);
    skEr = Arrays.copyOfRange(keymat, o, o += encLen);
    skPi = Arrays.copyOfRange(keymat, o, o += prfLen);
    skPr = Arrays.copyOfRange(keymat, o, o += prfLen);
  }

  private static int keymatLength(IkeSuite s) {
    return 3 * s.prf().outputLength() + 2 * s.integrity().keyLength()
        + 2 * s.encryption().keymatBytes(s.encryptionKeyBits());
  }

  /** Initial IKE SA: SKEYSEED = prf(Ni | Nr, g^ir). */
  public static IkeSaKeys deriveInitial(IkeSuite suite, byte[] sharedSecret, byte[] ni, byte[] nr, long spiI, long spiR) {
    byte[] skeyseed = suite.prf().apply(Bytes.concat(ni, nr), sharedSecret);
    return expand(suite, skeyseed, ni, nr, spiI, spiR);
  }

  /**
   * Rekeyed IKE SA (RFC 7296 §2.18): SKEYSEED = prf(SK_d(old), g^ir(new) | Ni | Nr). Both that prf
   * and the prf+ expanding it are the old SA's PRF, key sizes those of the new suite: what strongSwan
   * does (keymat_v2.c), so a rekey that changes the PRF still agrees on the keys.
   */
  public static IkeSaKeys deriveRekeyed(IkeSaKeys old, IkeSuite suite, byte[] sharedSecret, byte[] ni, byte[] nr,
      long spiI, long spiR) {
    PrfAlgorithm oldPrf = old.suite.prf();
    byte[] skeyseed = oldPrf.apply(old.skD, sharedSecret, ni, nr);
    byte[] seed = Bytes.concat(ni, nr, Bytes.u64(spiI), Bytes.u64(spiR));
    return new IkeSaKeys(suite, oldPrf.prfPlus(skeyseed, seed, keymatLength(suite)));
  }

  private static IkeSaKeys expand(IkeSuite suite, byte[] skeyseed, byte[] ni, byte[] nr, long spiI, long spiR) {
    byte[] seed = Bytes.concat(ni, nr, Bytes.u64(spiI), Bytes.u64(spiR));
    return new IkeSaKeys(suite, suite.prf().prfPlus(skeyseed, seed, keymatLength(suite)));
  }

  public IkeSuite suite() {
    return suite;
  }

  public byte[] skD() {
    return skD.clone();
  }

  public byte[] skP(boolean initiator) {
    return (initiator ? skPi : skPr).clone();
  }

  /** Protection for messages sent by the IKE SA initiator ({@code initiatorKeys}) or responder. */
  public MessageProtection protection(boolean initiatorKeys, SecureRandom random) {
    byte[] ek = initiatorKeys ? skEi : skEr;
    byte[] ak = initiatorKeys ? skAi : skAr;
    if (suite.encryption().aead()) {
      return new GcmProtection(ek, random);
    }
    return new CbcHmacProtection(suite.encryption(), ek, suite.integrity(), ak, random);
  }

  @Override
  public String toString() {
    return "IkeSaKeys[" + suite + "]";
  }
}
