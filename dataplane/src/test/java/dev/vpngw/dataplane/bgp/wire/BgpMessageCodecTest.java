package dev.vpngw.dataplane.bgp.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vpngw.dataplane.bgp.attr.AsPath;
import dev.vpngw.dataplane.bgp.attr.AttributeContext;
import dev.vpngw.dataplane.bgp.attr.MpReach;
import dev.vpngw.dataplane.bgp.attr.MpUnreach;
import dev.vpngw.dataplane.bgp.attr.Origin;
import dev.vpngw.dataplane.bgp.attr.PathAttributes;
import dev.vpngw.dataplane.routing.IpPrefix;
import dev.vpngw.dataplane.routing.Ipv4Prefix;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BgpMessageCodecTest {
  static final HexFormat HEX = HexFormat.of();
  static final AttributeContext AS4 = new AttributeContext(true, true);
  static final AttributeContext AS2 = new AttributeContext(false, true);
  static final String MARKER = "ffffffffffffffffffffffffffffffff";

  static byte[] frame(int type, String body) {
    byte[] b = HEX.parseHex(body.replace(" ", ""));
    return HEX.parseHex(MARKER + String.format("%04x%02x", 19 + b.length, type) + HEX.formatHex(b));
  }

  @Test
  void keepaliveIsNineteenBytes() throws Exception {
    byte[] k = BgpMessageCodec.encode(new BgpMessage.Keepalive(), AS4);
    assertThat(HEX.formatHex(k)).isEqualTo(MARKER + "001304");
    assertThat(BgpMessageCodec.decode(k, AS4)).isInstanceOf(BgpMessage.Keepalive.class);
  }

  @Test
  void openWithCapabilities_hexVector() throws Exception {
    // version 4, AS_TRANS (4-byte ASN 4200000000), hold 90, id 198.18.255.254,
    // caps: MP ipv4/unicast, route refresh, GR 120 s ipv4 F=0, AS4 4200000000.
    String body = "04 5ba0 005a c612fffe 18 02 16 0104 0001 0001 0200 4006 0078 0001 01 00 4104 fa56ea00";
    BgpMessage.Open o = (BgpMessage.Open) BgpMessageCodec.decode(frame(1, body), AS4);
    assertThat(o.asn()).isEqualTo(4_200_000_000L);
    assertThat(o.myAs()).isEqualTo(23456);
    assertThat(o.holdTime()).isEqualTo(90);
    assertThat(o.supports(AddressFamily.IPV4_UNICAST)).isTrue();
    Capability.GracefulRestart gr = o.capability(Capability.GracefulRestart.class).orElseThrow();
    assertThat(gr.restartTimeSeconds()).isEqualTo(120);
    assertThat(gr.covers(AddressFamily.IPV4_UNICAST)).isTrue();
    assertThat(gr.preservedForwarding(AddressFamily.IPV4_UNICAST)).isFalse();
    assertThat(HEX.formatHex(BgpMessageCodec.encode(o, AS4))).isEqualTo(HEX.formatHex(frame(1, body)));
  }

  @Test
  void updateRoundTripAllAttributes() throws Exception {
    PathAttributes a = new PathAttributes(Origin.EGP, AsPath.sequence(65515, 65010, 4_200_000_000L), Ipv4Prefix.parseAddress("169.254.21.1"),
        7L, null, List.of(0xfde80001), null, null, null, List.of());
    BgpMessage.Update u = new BgpMessage.Update(List.of(Ipv4Prefix.parse("198.18.9.0/24")), a,
        List.of(Ipv4Prefix.parse("198.18.10.0/29"), Ipv4Prefix.parse("0.0.0.0/0"), Ipv4Prefix.parse("198.19.255.255/32")));
    BgpMessage back = BgpMessageCodec.decode(BgpMessageCodec.encode(u, AS4), AS4);
    assertThat(back).isEqualTo(u);
  }

  @Test
  void mpReachAndUnreachIpv4AndIpv6() throws Exception {
    PathAttributes a = PathAttributes.EMPTY.withOrigin(Origin.IGP).withAsPath(AsPath.sequence(65010))
        .withMpReach(new MpReach(AddressFamily.IPV6_UNICAST, new byte[16], List.of(IpPrefix.parse("2001:db8:1::/48"))))
        .withMpUnreach(new MpUnreach(AddressFamily.IPV4_UNICAST, List.of(Ipv4Prefix.parse("198.18.0.0/29"))));
    BgpMessage.Update u = new BgpMessage.Update(List.of(), a, List.of());
    BgpMessage.Update back = (BgpMessage.Update) BgpMessageCodec.decode(BgpMessageCodec.encode(u, AS4), AS4);
    assertThat(back.attributes().mpReach()).isEqualTo(a.mpReach());
    assertThat(back.attributes().mpUnreach()).isEqualTo(a.mpUnreach());
    assertThat(back.attributeError()).isEmpty();
  }

  @Test
  void endOfRibMarkers() throws Exception {
    BgpMessage.Update ipv4 = (BgpMessage.Update) BgpMessageCodec.decode(frame(2, "0000 0000"), AS4);
    assertThat(ipv4.endOfRib()).contains(AddressFamily.IPV4_UNICAST);
    BgpMessage.Update v6 = (BgpMessage.Update) BgpMessageCodec.decode(frame(2, "0000 0006 800f03 0002 01"), AS4);
    assertThat(v6.endOfRib()).contains(AddressFamily.IPV6_UNICAST);
  }

  @Test
  void twoOctetPeer_asTransAndAs4Path() throws Exception {
    PathAttributes a = PathAttributes.EMPTY.withOrigin(Origin.IGP).withAsPath(AsPath.sequence(4_200_000_000L, 65010))
        .withNextHop(Ipv4Prefix.parseAddress("169.254.21.1"));
    byte[] wire = BgpMessageCodec.encode(new BgpMessage.Update(List.of(), a, List.of(Ipv4Prefix.parse("198.18.10.0/29"))), AS2);
    String hex = HEX.formatHex(wire);
    assertThat(hex).contains("400206" + "0202" + "5ba0" + "fdf2"); // AS_TRANS in the 2-octet AS_PATH
    assertThat(hex).contains("c0110a" + "0202" + "fa56ea00" + "0000fdf2"); // AS4_PATH carries the truth
    BgpMessage.Update back = (BgpMessage.Update) BgpMessageCodec.decode(wire, AS2);
    assertThat(back.attributes().asPath()).isEqualTo(AsPath.sequence(4_200_000_000L, 65010));
  }

  @Test
  void rfc7606_treatAsWithdrawCases() throws Exception {
    String nlri = "1d c6120a00";
    String good = "400101 00" + "400206 02 01 0000fdf2" + "400304 a9fe1502";
    assertThat(update(good, nlri).attributeError()).isEmpty();
    assertThat(update("400101 03" + "400206 02 01 0000fdf2" + "400304 a9fe1502", nlri).attributeError()).get().asString().contains("ORIGIN value 3");
    assertThat(update("400102 0000" + "400206 02 01 0000fdf2" + "400304 a9fe1502", nlri).attributeError()).get().asString().contains("ORIGIN length");
    assertThat(update("400101 00" + "400206 02 05 0000fdf2" + "400304 a9fe1502", nlri).attributeError()).get().asString().contains("overruns");
    assertThat(update("400101 00" + "400206 02 01 0000fdf2" + "400304 00000000", nlri).attributeError()).get().asString().contains("NEXT_HOP");
    assertThat(update(good + "800403 000000", nlri).attributeError()).get().asString().contains("MULTI_EXIT_DISC");
    assertThat(update(good + "c00803 000000", nlri).attributeError()).get().asString().contains("COMMUNITIES");
    assertThat(update("400206 02 01 0000fdf2" + "400304 a9fe1502", nlri).attributeError()).get().asString().contains("ORIGIN");
    // Attribute overrunning the list: treat-as-withdraw, the NLRI field is still found.
    assertThat(update("400101 00" + "400209 02 01 0000fdf2", nlri).attributeError()).get().asString().contains("overruns");
    // Withdraw-only UPDATE with a broken attribute still withdraws (no NLRI to protect).
    BgpMessage.Update w = (BgpMessage.Update) BgpMessageCodec.decode(frame(2, "0005 1dc6120a00 0004 400101 09"), AS4);
    assertThat(w.withdrawn()).containsExactly(Ipv4Prefix.parse("198.18.10.0/29"));
  }

  @Test
  void rfc7606_discardsNotWithdraws() throws Exception {
    String good = "400101 00" + "400206 02 01 0000fdf2" + "400304 a9fe1502";
    // Duplicate ORIGIN: first kept. LOCAL_PREF from eBGP: dropped. Malformed AS4_PATH: dropped.
    BgpMessage.Update u = update(good + "400101 02" + "400504 00000064" + "c01103 020100", "1d c6120a00");
    assertThat(u.attributeError()).isEmpty();
    assertThat(u.attributes().origin()).isEqualTo(Origin.IGP);
    assertThat(u.attributes().localPref()).isNull();
    // Unknown optional transitive kept (Partial set); unknown optional non-transitive dropped.
    BgpMessage.Update v = update(good + "c06302 abcd" + "806402 abcd", "1d c6120a00");
    assertThat(v.attributes().others()).hasSize(1);
    assertThat(v.attributes().others().getFirst().flags() & 0x20).isEqualTo(0x20);
  }

  @Test
  void sessionResetCases() {
    String good = "400101 00" + "400206 02 01 0000fdf2" + "400304 a9fe1502";
    assertReset(frame(2, "0000 " + String.format("%04x", (good.replace(" ", "").length() / 2)) + good + "21 c6120a0000"), BgpError.INVALID_NETWORK_FIELD);
    String mp = "800e0e 0001 01 04 a9fe1502 00 1dc6120a00";
    assertReset(frame(2, "0000 " + String.format("%04x", 2 * 17 + good.replace(" ", "").length() / 2) + good + mp + mp), BgpError.MALFORMED_ATTRIBUTE_LIST);
    assertReset(frame(2, "0000 0004 000a 0000"), BgpError.UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE);
    byte[] badMarker = frame(4, "");
    badMarker[3] = 0;
    assertReset(badMarker, BgpError.CONNECTION_NOT_SYNCHRONIZED);
    assertReset(frame(4, "00"), BgpError.BAD_MESSAGE_LENGTH);
    assertReset(frame(9, ""), BgpError.BAD_MESSAGE_TYPE);
    assertReset(frame(1, "03 fdf2 005a c612fffe 00"), BgpError.UNSUPPORTED_VERSION);
    assertReset(frame(1, "04 fdf2 0002 c612fffe 00"), BgpError.UNACCEPTABLE_HOLD_TIME);
    assertReset(frame(5, "000100"), BgpError.ROUTE_REFRESH_INVALID_LENGTH);
    assertReset(frame(2, "0009 1dc6120a00"), BgpError.MALFORMED_ATTRIBUTE_LIST);
  }

  @Test
  void notificationAndRouteRefresh() throws Exception {
    BgpMessage.Notification n = (BgpMessage.Notification) BgpMessageCodec.decode(frame(3, "0601 0001 01 00000fa0"), AS4);
    assertThat(n.error()).isEqualTo(BgpError.CEASE_MAX_PREFIXES);
    assertThat(n.error().describe()).contains("Cease").contains("6/1");
    assertThat(BgpMessageCodec.decode(frame(5, "0001 00 01"), AS4)).isEqualTo(new BgpMessage.RouteRefresh(AddressFamily.IPV4_UNICAST));
  }

  static BgpMessage.Update update(String attrs, String nlri) throws BgpProtocolException {
    String a = attrs.replace(" ", "");
    return (BgpMessage.Update) BgpMessageCodec.decode(frame(2, "0000" + String.format("%04x", a.length() / 2) + a + nlri.replace(" ", "")), AS4);
  }

  static void assertReset(byte[] frame, BgpError expected) {
    assertThatThrownBy(() -> BgpMessageCodec.decode(frame, AS4)).isInstanceOfSatisfying(BgpProtocolException.class,
        e -> assertThat(e.error()).isEqualTo(expected));
  }

  @Test
  void optionalIsUsedOnlyForAttributeErrors() {
    assertThat(new BgpMessage.Update(List.of(), PathAttributes.EMPTY, List.of()).attributeError()).isEqualTo(Optional.empty());
  }
}
