package dev.vpngw.dataplane.ike.message;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpngw.dataplane.ike.error.InvalidMajorVersionException;
import dev.vpngw.dataplane.ike.error.InvalidSyntaxException;
import dev.vpngw.dataplane.ike.error.UnsupportedCriticalPayloadException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Decodes a real strongSwan 5.9.8 IKE_SA_INIT request (captured in the interop run) and broken copies of it. */
class IkeMessageCodecTest {
  /** strongSwan initiating with proposals aes256-sha256-modp2048, encap = yes. */
  static final String STRONGSWAN_IKE_SA_INIT_REQUEST = ""
      + "654d8eba957c6e0c00000000000000002120220800000000000001d0220000300000002c010100040300000c0100000c"
      + "800e0100030000080300000c0300000802000005000000080400000e28000108000e0000f709e1611a891e9a7d24321d"
      + "1b09c7c52b6784b4efedb1364f8b3b7492844601cd90915de9b29d7bb9f1eeb523bb6481433195e888f614e63825f5b6"
      + "68dddbb4751b2f1e55d7207af475d5d220325cc3556b6e92f7816a0a37b44751aa6303c0512827e22b231ced574f1b5d"
      + "bade68745ce99b5484a9d1039ff48c1d7d6ff62a08ecda96de7e5bf0a3c2586bfa11ad8afef40510e718ec5586a5d467"
      + "88fda5fd6beb6641998bd2f799a73e5dbf95997e3ddf7a670733f149f50c436d227e385b732d47c27188807c6343dbd0"
      + "c26a75f0170678bbf505e05888210bc4263dbc230ede9b51e969f7a63b56c5743a092a1b029ba374a84f3eb0a01ad6ac"
      + "6533805429000024be22d732eec8d3fd4db4211d7aaf43d8e8e11b6257122a4e835af030553365582900001c00004004"
      + "7326a6b2dc6c9659d3a1dffed6f4e7302fb3d8e12900001c000040052214103cd0fa8f4f0c00719f82133f0c58c764d4"
      + "290000080000402e290000100000402f00020003000400050000000800004016";

  static byte[] packet() {
    return HexFormat.of().parseHex(STRONGSWAN_IKE_SA_INIT_REQUEST);
  }

  @Test
  void decodesCapturedStrongSwanRequest() {
    byte[] raw = packet();
    var r = IkeMessage.decode(raw, null, null);
    assertThat(r).isInstanceOf(DecodeResult.Ok.class);
    IkeMessage m = ((DecodeResult.Ok) r).message();
    IkeHeader h = m.header();
    assertThat(h.exchange()).isEqualTo(ExchangeType.IKE_SA_INIT);
    assertThat(h.isResponse()).isFalse();
    assertThat(h.fromOriginalInitiator()).isTrue();
    assertThat(h.responderSpi()).isZero();
    assertThat(h.messageId()).isZero();
    assertThat(h.length()).isEqualTo(raw.length);
    SaPayload sa = m.first(SaPayload.class).orElseThrow();
    Proposal p = sa.proposals().getFirst();
    assertThat(p.protocolId()).isEqualTo(Proposal.PROTO_IKE);
    assertThat(p.transforms()).contains(Transform.of(Transform.ENCR, 12, 256), Transform.of(Transform.PRF, 5),
        Transform.of(Transform.INTEG, 12), Transform.of(Transform.DH, 14));
    KePayload ke = m.first(KePayload.class).orElseThrow();
    assertThat(ke.dhGroup()).isEqualTo(14);
    assertThat(ke.data()).hasSize(256);
    assertThat(m.first(NoncePayload.class).orElseThrow().nonce()).hasSizeGreaterThanOrEqualTo(16);
    assertThat(m.notify(NotifyType.NAT_DETECTION_SOURCE_IP)).isPresent();
    assertThat(m.notify(NotifyType.NAT_DETECTION_DESTINATION_IP)).isPresent();
    // Re-encoding yields the identical bytes: nothing is lost or reordered.
    assertThat(m.encode()).isEqualTo(raw);
  }

  @Test
  void wrongMajorVersionIsUnprotectedError() {
    byte[] raw = packet();
    raw[17] = 0x30;
    var r = IkeMessage.decode(raw, null, null);
    assertThat(r).isInstanceOfSatisfying(DecodeResult.UnprotectedError.class,
        e -> assertThat(e.error()).isInstanceOf(InvalidMajorVersionException.class));
  }

  @Test
  void truncatedDatagramNamesTheLengthField() {
    byte[] raw = java.util.Arrays.copyOf(packet(), 100);
    var r = IkeMessage.decode(raw, null, null);
    assertThat(r).isInstanceOfSatisfying(DecodeResult.UnprotectedError.class, e -> {
      assertThat(e.error()).isInstanceOf(InvalidSyntaxException.class);
      assertThat(e.error().getMessage()).contains("header.length");
    });
  }

  @Test
  void corruptedPayloadLengthIsInvalidSyntax() {
    byte[] raw = packet();
    // First payload (SA) length field lives at offset 30..31: make it overrun the datagram.
    raw[30] = 0x7f;
    var r = IkeMessage.decode(raw, null, null);
    assertThat(r).isInstanceOfSatisfying(DecodeResult.UnprotectedError.class,
        e -> assertThat(e.error()).isInstanceOf(InvalidSyntaxException.class));
  }

  @Test
  void everySingleByteFlipDecodesOrFailsCleanly() {
    byte[] orig = packet();
    for (int i = 0; i < orig.length; i++) {
      byte[] raw = orig.clone();
      raw[i] ^= (byte) 0xff;
      DecodeResult r = IkeMessage.decode(raw, null, null);
      assertThat(r).isNotNull();
    }
  }

  @Test
  void unknownCriticalPayloadIsUnsupportedCriticalPayload() {
    IkeMessage m = new IkeMessage(IkeHeader.of(1, 0, ExchangeType.IKE_SA_INIT, true, false, 0),
        List.of(new NoncePayload(new byte[32]), new UnknownPayload(200, true, new byte[] {1, 2, 3})));
    var r = IkeMessage.decode(m.encode(), null, null);
    assertThat(r).isInstanceOfSatisfying(DecodeResult.UnprotectedError.class, e -> {
      assertThat(e.error()).isInstanceOf(UnsupportedCriticalPayloadException.class);
      assertThat(e.error().notifyName()).isEqualTo("UNSUPPORTED_CRITICAL_PAYLOAD");
      assertThat(e.error().notifyData()).containsExactly((byte) 200);
    });
  }

  @Test
  void unknownNonCriticalPayloadIsKept() {
    IkeMessage m = new IkeMessage(IkeHeader.of(1, 0, ExchangeType.IKE_SA_INIT, true, false, 0),
        List.of(new UnknownPayload(201, false, new byte[] {9}), new NoncePayload(new byte[16])));
    var r = (DecodeResult.Ok) IkeMessage.decode(m.encode(), null, null);
    assertThat(r.message().payloads()).hasSize(2);
    assertThat(r.message().first(UnknownPayload.class).orElseThrow().type()).isEqualTo(201);
  }

  @Test
  void allPayloadKindsRoundTrip() throws Exception {
    var ts = new TsPayload(true, List.of(TrafficSelector.fromCidr("198.18.1.0/24"), TrafficSelector.anyIpv4()));
    List<IkePayload> ps = List.of(
        new SaPayload(List.of(new Proposal(1, Proposal.PROTO_ESP, new byte[] {1, 2, 3, 4},
            List.of(Transform.of(Transform.ENCR, 20, 256), Transform.of(Transform.ESN, 0))))),
        new KePayload(19, new byte[64]), new NoncePayload(new byte[32]),
        IdPayload.ofAddress(true, java.net.InetAddress.getByName("198.18.0.1")), IdPayload.ofFqdn(false, "gw.example"),
        new AuthPayload(AuthPayload.SHARED_KEY_MIC, new byte[32]), NotifyPayload.of(NotifyType.INITIAL_CONTACT),
        new NotifyPayload(3, new byte[] {0, 0, 1, 0}, NotifyType.REKEY_SA.value(), new byte[0]),
        DeletePayload.esp(List.of(0x1234, 0x5678)), DeletePayload.ike(), new VendorPayload(new byte[] {7, 7}), ts,
        new TsPayload(false, List.of(TrafficSelector.fromCidr("203.0.113.0/24"))),
        new CpPayload(CpPayload.CFG_REQUEST, List.of(new CpPayload.Attribute(1, new byte[0]))));
    IkeMessage m = new IkeMessage(IkeHeader.of(5, 6, ExchangeType.IKE_AUTH, false, true, 1), ps);
    byte[] enc = m.encode();
    IkeMessage back = ((DecodeResult.Ok) IkeMessage.decode(enc, null, null)).message();
    assertThat(back.encode()).isEqualTo(enc);
    assertThat(back.ts(true).orElseThrow().selectors()).isEqualTo(ts.selectors());
    assertThat(back.first(DeletePayload.class).orElseThrow().spis()).containsExactly(0x1234, 0x5678);
    assertThat(back.id(false).orElseThrow().display()).isEqualTo("gw.example");
  }
}
