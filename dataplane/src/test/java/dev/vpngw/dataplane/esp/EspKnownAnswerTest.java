package dev.vpngw.dataplane.esp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Known answers: the ESP packets of draft-mcgrew-gcm-test-01 (RFC 4106 AES-GCM ESP, with and without
 * ESN), the AES-CBC ESP packets of RFC 3602 §4 (cases 5 and 6), and the HMAC vectors of RFC 4231 /
 * RFC 4868 with the ESP truncations.
 */
class EspKnownAnswerTest {
  private static final HexFormat HEX = HexFormat.of();

  /** key, nonce (salt || IV), AAD (SPI || [seq-hi ||] seq), plaintext incl. ESP trailer, ciphertext, tag. */
  static Stream<Arguments> gcmVectors() {
    return Stream.of(
        Arguments.of("case 2, AES-128, ESN", "4c80cdefbb5d10da906ac73c3613a634", "2e443b684956ed7e3b244cfe",
            "000043218765432100000000",
            "45000048699a000080114db7c0a80102c0a801010a9bf15638d301000001000000000000045f736970045f756470037369700963796265726369747902646b000021000101020201",
            "fecf537e729d5b07dc30df528dd22b768d1b98736696a6fd348509fa13ceac34cfa2436f14a3f3cf65925bf1f4a13c5d15b21e1884f5ff6247aeabb786b93bce61bc17d768fd9732",
            "459018148f6cbe722fd04796562dfdb4"),
        Arguments.of("case 3, AES-128", "feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
            "0000a5f80000000a",
            "4500003e698f000080114dccc0a80102c0a801010a980035002a2343b2d001000001000000000000037369700963796265726369747902646b00000100010001",
            "deb22cd9b07c72c16e3a65beeb8df304a5a5897d33ae530f1ba76d5d114d2a5c3de81827c10e9a4f51330d0eec416642cfbb85a5b47e48a4ec3b9ba95d918bd1",
            "83b70d3aa8bc6ee4c309e9d85a41ad4a"),
        Arguments.of("case 4, AES-256", "abbccddef00112233445566778899aababbccddef00112233445566778899aab", "112233440102030405060708",
            "4a2cbfe300000002",
            "4500003069a6400080062690c0a801029389155e0a9e008b2dc57ee0000000007002400020bf0000020405b40101040201020201",
            "ff425c9b724599df7a3bcd510194e00d6a78107f1b0b1cbf06efae9d65a5d763748a637985771d347f0545659f14e99def842d8e",
            "b335f4eecfdbf831824b4c4915956c96"),
        Arguments.of("case 6, AES-128, ESN", "3de09874b388e6491988d0c3607eae1f", "57690e434e280000a2fca1a3",
            "42f67e3f1010101010101010",
            "4500003c99c300008001cb7c40679318010101010800085c020043006162636465666768696a6b6c6d6e6f707172737475767761626364656667686901020201",
            "fba2caa4853cf9f0f22cb10d86dd83b0fec75691cf1a04b00d1138ec9c35791765acbd8701ad79845bf9fe3fba487bc91755e6662b4c8d0d1f5e22739530320a",
            "e0d731cc978ecafaeae88f00e80d6e48"),
        Arguments.of("case 8, AES-192", "feffe9928665731c6d6a8f9467308308feffe9928665731c", "cafebabefacedbaddecaf888",
            "0000a5f80000000a",
            "45000028a4ad4000400678800a01038f0a010612802306b8cb712602dd6bb03e501016d075680001",
            "a5b1f8066029aea40e598b8122de02420938b3ab33f828e687b8858b5bfbdbd0315b27452144cc77",
            "95457b9652037f5318027b5b4cd7a636"),
        Arguments.of("case 10, AES-256, ESN", "abbccddef00112233445566778899aababbccddef00112233445566778899aab", "73616c74616e640169766563",
            "17405e67156f3126dd0db99b",
            "45080028732c00004006e9f90a0106120a01038f06b88023dd6bafbecb71260250101f646d540001",
            "f2d69ecdbd5a0d5b8d5ef38bad4da58d1f278fde98ef67549d524a3018d9a57ff4d3a31ce673119e",
            "451626c2415771e3b7eebca614c89b35"),
        Arguments.of("case 13, AES-256, ESN all-ones", "6c6567616c697a656d6172696a75616e61616e64646f69746265666f72656961", "7475726e333021696765746d",
            "796b6963ffffffffffffffff",
            "45000030da3a00008001df3bc0a80005c0a800010800c6cd020007006162636465666768696a6b6c6d6e6f707172737401020201",
            "f97ab2aa356d8edce17644ac8c78e25dd24dedbb29ebf1b64a274b39b49c3a864cd3d78ca4ae68a32b42458fb57dbe821dcc63b9",
            "d0937ba2945f669368661a329fb4c053"));
  }

  static EspTransform gcmFor(int keyBytes) {
    return switch (keyBytes) {
      case 16 -> EspTransform.AES_GCM_16_128;
      case 24 -> EspTransform.AES_GCM_16_192;
      default -> EspTransform.AES_GCM_16_256;
    };
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gcmVectors")
  void gcmEspVectorsSealAndOpen(String name, String key, String nonce, String aad, String pt, String ct, String tag) {
    byte[] k = HEX.parseHex(key);
    byte[] n = HEX.parseHex(nonce);
    byte[] a = HEX.parseHex(aad);
    byte[] plain = HEX.parseHex(pt);
    boolean esn = a.length == 12;
    long seq = Long.parseUnsignedLong(aad.substring(8), 16);
    byte[] keymat = concat(k, Arrays.copyOf(n, 4));
    GcmCrypto crypto = (GcmCrypto) EspCrypto.create(gcmFor(k.length), keymat, new byte[0]);

    // ESP packet: SPI | seq-low | IV | ciphertext | ICV
    byte[] expected = concat(Arrays.copyOf(a, 4), Arrays.copyOfRange(a, a.length - 4, a.length),
        Arrays.copyOfRange(n, 4, 12), HEX.parseHex(ct), HEX.parseHex(tag));

    byte[] buf = new byte[expected.length];
    System.arraycopy(expected, 0, buf, 0, 16);
    System.arraycopy(plain, 0, buf, 16, plain.length);
    crypto.sealWithIv(buf, 0, plain.length, seq, esn);
    assertThat(HEX.formatHex(buf)).isEqualTo(HEX.formatHex(expected));

    byte[] in = expected.clone();
    assertThat(crypto.open(in, 0, in.length, seq, esn)).isTrue();
    assertThat(HEX.formatHex(Arrays.copyOfRange(in, 16, 16 + plain.length))).isEqualTo(pt);
    // Every vector carries RFC 4303 default padding (1, 2, …).
    int padLen = plain[plain.length - 2] & 0xFF;
    assertThat(EspEngine.padOk(in, 16 + plain.length - 2 - padLen, padLen)).isTrue();

    in = expected.clone();
    in[in.length - 1] ^= 1;
    assertThat(crypto.open(in, 0, in.length, seq, esn)).as("forged tag").isFalse();
    if (esn) {
      in = expected.clone();
      assertThat(crypto.open(in, 0, in.length, seq ^ (1L << 32), true)).as("wrong ESN high half").isFalse();
    }
  }

  @Test
  void rfc3602AesCbcCase5And6() throws Exception {
    checkCbc("0000432100000001e96e8c08ab465763fd098d45dd3ff893f663c25d325c18c6a9453e194e120849a4870b66cc6b9965330013b4898dc856a4699e523a55db080b59ec3a8e4b7e52775b07d1db34ed9c538ab50c551b874aa269add047ad2d5913ac19b7cfbad4a6",
        "08000ebda70a00008e9c083db95b070008090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637"
            + "0102030405060708090a0b0c0d0e" + "0e" + "01", 1);
    checkCbc("000043210000000869d08df7d203329db093fc4924e5bd80f51995881ec4e0c4488987ce742e8109689bb379d2d750c0d915dca346a89f75",
        "0800b5e8a80a0500a69c083d0b660e00777777777777777777777777" + "0102" + "02" + "01", 8);
  }

  private static void checkCbc(String espNoIcv, String plaintext, long seq) throws Exception {
    byte[] key = HEX.parseHex("90d382b410eeba7ad938c46cec1a82bf");
    byte[] integ = new byte[20];
    Arrays.fill(integ, (byte) 0x5a);
    CbcHmacCrypto crypto = (CbcHmacCrypto) EspCrypto.create(EspTransform.AES_CBC_128_HMAC_SHA1_96, key, integ);
    byte[] esp = HEX.parseHex(espNoIcv);
    byte[] plain = HEX.parseHex(plaintext);
    Mac mac = Mac.getInstance("HmacSHA1");
    mac.init(new SecretKeySpec(integ, "HmacSHA1"));
    byte[] icv = Arrays.copyOf(mac.doFinal(esp), 12);

    byte[] buf = new byte[esp.length + 12];
    System.arraycopy(esp, 0, buf, 0, 24);
    System.arraycopy(plain, 0, buf, 24, plain.length);
    crypto.sealWithIv(buf, 0, plain.length, seq, false);
    assertThat(HEX.formatHex(buf)).isEqualTo(HEX.formatHex(concat(esp, icv)));

    byte[] in = concat(esp, icv);
    assertThat(crypto.open(in, 0, in.length, seq, false)).isTrue();
    assertThat(HEX.formatHex(Arrays.copyOfRange(in, 24, 24 + plain.length))).isEqualTo(plaintext);
  }

  @Test
  void hmacVectorsAndEspTruncations() throws Exception {
    byte[] hiThere = "Hi There".getBytes(StandardCharsets.US_ASCII);
    byte[] jefeData = "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII);
    byte[] k20 = filled(20, 0x0b);
    // RFC 4231 test cases 1 and 2
    assertThat(hmac(EspTransform.AES_CBC_128_HMAC_SHA256_128, k20, hiThere))
        .isEqualTo("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    assertThat(hmac(EspTransform.AES_CBC_256_HMAC_SHA384_192, k20, hiThere))
        .isEqualTo("afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6");
    assertThat(hmac(EspTransform.AES_CBC_128_HMAC_SHA256_128, "Jefe".getBytes(StandardCharsets.US_ASCII), jefeData))
        .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    assertThat(hmac(EspTransform.AES_CBC_256_HMAC_SHA384_192, "Jefe".getBytes(StandardCharsets.US_ASCII), jefeData))
        .isEqualTo("af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649");
    // RFC 4868 §2.7.2.1 AUTH256-1: 32-byte key, the ESP ICV is the first 128 bits
    assertThat(hmac(EspTransform.AES_CBC_128_HMAC_SHA256_128, filled(32, 0x0b), hiThere))
        .startsWith("198a607eb44bfbc69903a0f1cf2bbdc5");
    // RFC 2202 HMAC-SHA1 test case 1
    assertThat(hmac(EspTransform.NULL_HMAC_SHA1_96, k20, hiThere)).isEqualTo("b617318655057264e28bc0b6fb378c8ef146be00");

    assertThat(icvLength(EspTransform.AES_CBC_128_HMAC_SHA1_96)).isEqualTo(12);
    assertThat(icvLength(EspTransform.AES_CBC_128_HMAC_SHA256_128)).isEqualTo(16);
    assertThat(icvLength(EspTransform.AES_CBC_256_HMAC_SHA384_192)).isEqualTo(24);
    assertThat(icvLength(EspTransform.AES_CBC_256_HMAC_MD5_96)).isEqualTo(12);
  }

  @Test
  void sealedIcvIsTruncatedHmacOverHeaderIvAndCiphertextPlusEsnHigh() throws Exception {
    for (EspTransform t : new EspTransform[] {EspTransform.AES_CBC_256_HMAC_SHA256_128, EspTransform.AES_CBC_256_HMAC_SHA384_192}) {
      byte[] integ = filled(t.integKeyBytes(), 0x0b);
      EspCrypto crypto = EspCrypto.create(t, filled(t.encKeymatBytes(), 0x11), integ);
      byte[] buf = new byte[8 + 16 + 32 + 24];
      buf[3] = 7;
      buf[7] = 9;
      long seq = (5L << 32) | 9;
      crypto.seal(buf, 0, 32, seq, true);
      Mac mac = Mac.getInstance(CbcHmacCrypto.macAlgorithm(t));
      mac.init(new SecretKeySpec(integ, mac.getAlgorithm()));
      mac.update(buf, 0, 8 + 16 + 32);
      mac.update(new byte[] {0, 0, 0, 5});
      byte[] full = mac.doFinal();
      assertThat(Arrays.copyOfRange(buf, 56, 56 + crypto.icvLength())).isEqualTo(Arrays.copyOf(full, crypto.icvLength()));
    }
  }

  private static int icvLength(EspTransform t) {
    return EspCrypto.create(t, new byte[t.encKeymatBytes()], new byte[t.integKeyBytes()]).icvLength();
  }

  private static String hmac(EspTransform t, byte[] key, byte[] data) throws Exception {
    Mac mac = Mac.getInstance(CbcHmacCrypto.macAlgorithm(t));
    mac.init(new SecretKeySpec(key, mac.getAlgorithm()));
    return HEX.formatHex(mac.doFinal(data));
  }

  static byte[] filled(int n, int value) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) value);
    return b;
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int o = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, o, p.length);
      o += p.length;
    }
    return out;
  }
}
