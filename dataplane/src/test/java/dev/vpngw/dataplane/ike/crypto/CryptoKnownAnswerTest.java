package dev.vpngw.dataplane.ike.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CryptoKnownAnswerTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] JEFE = "Jefe".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] WANT = "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII);

  @Test
  void hmacPrfsMatchRfc2202AndRfc4231TestCase2() {
    assertThat(HEX.formatHex(PrfAlgorithm.HMAC_MD5.apply(JEFE, WANT))).isEqualTo("750c783e6ab0b503eaa86e310a5db738");
    assertThat(HEX.formatHex(PrfAlgorithm.HMAC_SHA1.apply(JEFE, WANT))).isEqualTo("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    assertThat(HEX.formatHex(PrfAlgorithm.HMAC_SHA2_256.apply(JEFE, WANT)))
        .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    assertThat(HEX.formatHex(PrfAlgorithm.HMAC_SHA2_384.apply(JEFE, WANT)))
        .isEqualTo("af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649");
    assertThat(HEX.formatHex(PrfAlgorithm.HMAC_SHA2_512.apply(JEFE, WANT)))
        .isEqualTo("164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737");
  }

  @Test
  void integrityTruncatesRfc4231Output() {
    assertThat(HEX.formatHex(IntegrityAlgorithm.HMAC_SHA2_256_128.icv(JEFE, WANT))).isEqualTo("5bdcc146bf60754e6a042426089575c7");
    assertThat(HEX.formatHex(IntegrityAlgorithm.HMAC_SHA1_96.icv(JEFE, WANT))).isEqualTo("effcdf6ae5eb2fa2d27416d5");
    assertThat(IntegrityAlgorithm.HMAC_SHA2_384_192.icv(JEFE, WANT)).hasSize(24);
  }

  @Test
  void prfPlusChainsBlocksAsRfc7296Section2_13() {
    PrfAlgorithm p = PrfAlgorithm.HMAC_SHA2_256;
    byte[] k = new byte[32];
    byte[] s = "seed".getBytes(StandardCharsets.US_ASCII);
    byte[] t1 = p.apply(k, s, new byte[] {1});
    byte[] t2 = p.apply(k, t1, s, new byte[] {2});
    byte[] out = p.prfPlus(k, s, 40);
    assertThat(java.util.Arrays.copyOf(out, 32)).isEqualTo(t1);
    assertThat(java.util.Arrays.copyOfRange(out, 32, 40)).isEqualTo(java.util.Arrays.copyOf(t2, 8));
  }

  @Test
  void ecp256MatchesRfc5903Section8_1() throws Exception {
    var i = new BigInteger("C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433", 16);
    var gix = new BigInteger("DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C3772581180", 16);
    var giy = new BigInteger("5271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58389E0577B8990BB3", 16);
    String gr = "D12DFB5289C8D4F81208B70270398C342296970A0BCCB74C736FC7554494BF63"
        + "56FBF3CA366CC23E8157854C13C58D6AAC23F046ADA30F8353E74F33039872AB";
    EcpKeyExchange ke = new EcpKeyExchange(DhGroup.ECP_256, i);
    assertThat(HEX.formatHex(ke.publicValue())).isEqualToIgnoringCase(
        String.format("%064X%064X", gix, giy));
    assertThat(HEX.formatHex(ke.sharedSecret(HEX.parseHex(gr))))
        .isEqualToIgnoringCase("D6840F6B42F6EDAFD13116E0E12565202FEF8E9ECE7DCE03812464D04B9442DE");
  }

  @Test
  void ecpRejectsTheAllZeroPoint() {
    KeyExchange a = DhGroup.ECP_256.newKeyExchange(new SecureRandom());
    assertThatThrownBy(() -> a.sharedSecret(new byte[64])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ecpRejectsPointOffTheCurve() {
    KeyExchange a = DhGroup.ECP_256.newKeyExchange(new SecureRandom());
    byte[] bad = DhGroup.ECP_256.newKeyExchange(new SecureRandom()).publicValue();
    bad[63] ^= 1;
    assertThatThrownBy(() -> a.sharedSecret(bad)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @EnumSource(value = DhGroup.class, names = {"MODP_768", "MODP_1024", "MODP_2048", "MODP_2048_256", "ECP_256", "ECP_384"})
  void bothSidesAgree(DhGroup g) {
    KeyExchange a = g.newKeyExchange(new SecureRandom());
    KeyExchange b = g.newKeyExchange(new SecureRandom());
    assertThat(a.publicValue()).hasSize(g.publicValueLength());
    assertThat(a.sharedSecret(b.publicValue())).isEqualTo(b.sharedSecret(a.publicValue()));
  }

  @Test
  void modpRejectsDegenerateValues() {
    KeyExchange a = DhGroup.MODP_2048.newKeyExchange(new SecureRandom());
    byte[] one = new byte[256];
    one[255] = 1;
    assertThatThrownBy(() -> a.sharedSecret(one)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of range");
    assertThatThrownBy(() -> a.sharedSecret(new byte[10])).hasMessageContaining("expected 256");
  }

  @Test
  void rfc5114Group24ConstantsAreConsistent() {
    var p = DhGroup.MODP_2048_256.p();
    var g = DhGroup.MODP_2048_256.g();
    var q = DhGroup.MODP_2048_256.q();
    assertThat(p.bitLength()).isEqualTo(2048);
    assertThat(q.bitLength()).isEqualTo(256);
    assertThat(p.isProbablePrime(40)).isTrue();
    assertThat(q.isProbablePrime(40)).isTrue();
    assertThat(g.modPow(q, p)).isEqualTo(BigInteger.ONE);
  }

  @Test
  void ikeKeysProtectInBothDirections() throws Exception {
    for (IkeSuite suite : new IkeSuite[] {
        new IkeSuite(EncryptionAlgorithm.AES_GCM_16, 256, PrfAlgorithm.HMAC_SHA2_256, IntegrityAlgorithm.NONE, DhGroup.ECP_256),
        new IkeSuite(EncryptionAlgorithm.AES_CBC, 128, PrfAlgorithm.HMAC_SHA1, IntegrityAlgorithm.HMAC_SHA1_96, DhGroup.MODP_1024),
        new IkeSuite(EncryptionAlgorithm.DES3, 0, PrfAlgorithm.HMAC_SHA2_384, IntegrityAlgorithm.HMAC_SHA2_384_192, DhGroup.MODP_2048),
        new IkeSuite(EncryptionAlgorithm.DES, 0, PrfAlgorithm.HMAC_MD5, IntegrityAlgorithm.HMAC_MD5_96, DhGroup.MODP_768)}) {
      byte[] ni = new byte[32];
      byte[] nr = new byte[32];
      nr[0] = 1;
      IkeSaKeys a = IkeSaKeys.deriveInitial(suite, new byte[64], ni, nr, 1, 2);
      IkeSaKeys b = IkeSaKeys.deriveInitial(suite, new byte[64], ni, nr, 1, 2);
      var send = a.protection(true, new SecureRandom());
      var recv = b.protection(true, new SecureRandom());
      byte[] aad = new byte[32];
      byte[] iv = send.newIv();
      byte[] pt = new byte[send.blockSize() > 1 ? send.blockSize() * 3 : 45];
      byte[] ct = send.seal(aad, iv, pt);
      assertThat(recv.open(aad, iv, ct)).as(suite.toString()).isEqualTo(pt);
      ct[ct.length - 1] ^= 1;
      assertThatThrownBy(() -> recv.open(aad, iv, ct)).isInstanceOf(dev.vpngw.dataplane.ike.message.MessageProtection.IntegrityException.class);
      // The responder's keys differ from the initiator's.
      var wrongDir = b.protection(false, new SecureRandom());
      byte[] ct2 = send.seal(aad, iv, pt);
      assertThatThrownBy(() -> wrongDir.open(aad, iv, ct2)).isInstanceOf(dev.vpngw.dataplane.ike.message.MessageProtection.IntegrityException.class);
    }
  }

  @Test
  void childKeymatSplitsGcmSaltAndDirections() {
    ChildKeys k = ChildKeys.derive(PrfAlgorithm.HMAC_SHA2_256, new byte[32], null, new byte[16], new byte[16], 36, 0);
    assertThat(k.encryptionKey(true)).hasSize(36);
    assertThat(k.encryptionKey(true)).isNotEqualTo(k.encryptionKey(false));
    byte[] all = PrfAlgorithm.HMAC_SHA2_256.prfPlus(new byte[32], new byte[32], 72);
    assertThat(k.encryptionKey(false)).isEqualTo(java.util.Arrays.copyOfRange(all, 36, 72));
  }
}
