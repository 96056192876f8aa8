package dev.vpngw.dataplane.esp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpngw.dataplane.esp.EspSaParams.Direction;
import dev.vpngw.dataplane.packet.Ipv4;
import dev.vpngw.dataplane.packet.PacketBuffer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Traffic selectors and ESN on the packet path, with real crypto between two engines: outbound
 * packets pick the child SA whose selectors cover them, decrypted packets outside their SA's
 * selectors are dropped (RFC 4301 §5.2), and 64-bit ESN sequence numbers cross 2^32.
 */
class EspSelectorsAndEsnTest {
  static final EspTransform GCM = EspTransform.AES_GCM_16_256;
  static final int NET_L = 0xC6120100; // 198.18.1.0/24: our side
  static final int NET_R = 0xC6120200; // 198.18.2.0/24: the peer's side
  static final int NET_R2 = 0xC6120300; // 198.18.3.0/24: the peer's second prefix

  final List<EspEngine> engines = new ArrayList<>();

  @AfterEach
  void close() {
    engines.forEach(EspEngine::close);
  }

  EspEngine engine() {
    EspEngine e = new EspEngine(new TunnelSlots(), 2);
    engines.add(e);
    return e;
  }

  static SelectorRanges.Range slash24(int net) {
    return new SelectorRanges.Range(net, net | 0xFF);
  }

  static SelectorRanges ts(int local, int remote) {
    return SelectorRanges.of(List.of(slash24(local)), List.of(slash24(remote)));
  }

  static EspSaParams sa(Direction d, int spi, boolean esn, SelectorRanges selectors) {
    byte[] key = EspKnownAnswerTest.filled(GCM.encKeymatBytes(), spi & 0x7F);
    return new EspSaParams("t", d, spi, GCM, key, new byte[0], esn, EspEngineTest.A, EspEngineTest.B,
        d == Direction.INBOUND ? 1024 : 0, 0, selectors);
  }

  /** A UDP packet from {@code src} to {@code dst}. */
  static PacketBuffer packet(int src, int dst, int marker) {
    PacketBuffer pb = EspEngineTest.ipv4(32, marker);
    Ipv4.put32(pb.data, pb.offset + 12, src);
    Ipv4.put32(pb.data, pb.offset + 16, dst);
    Ipv4.put16(pb.data, pb.offset + 10, 0);
    Ipv4.fillHeaderChecksum(pb.data, pb.offset);
    return pb;
  }

  static byte[] seal(EspEngine e, PacketBuffer pb) {
    assertThat(e.encapsulate(e.slots().slotOf("t"), pb, 0)).isNull();
    return EspEngineTest.bytes(pb);
  }

  static int spiOf(byte[] esp) {
    return Ipv4.i32(esp, 0);
  }

  @Test
  void decryptedPacketOutsideTheSelectorsIsDroppedAndCountedInsideIsDelivered() {
    // The peer encrypts whatever it likes (its SA has no selectors); ours was negotiated for
    // 198.18.2.0/24 (peer) -> 198.18.1.0/24 (us).
    EspEngine peer = engine();
    EspEngine us = engine();
    peer.addSa(sa(Direction.OUTBOUND, 0x1001, false, SelectorRanges.ANY));
    us.addSa(sa(Direction.INBOUND, 0x1001, false, ts(NET_L, NET_R)));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    EspMetrics.bind(registry, us, "gw");

    PacketBuffer inside = EspEngineTest.received(seal(peer, packet(NET_R | 2, NET_L | 2, 1)));
    assertThat(us.decapsulate(inside, 1, EspEngineTest.A)).isNull();
    assertThat(Ipv4.src(inside.data, inside.offset)).isEqualTo(NET_R | 2);

    byte[] spoofedSource = seal(peer, packet(0xC6120909, NET_L | 2, 2)); // 198.18.9.9: not the peer's side
    byte[] wrongDestination = seal(peer, packet(NET_R | 2, 0xC6120A0A, 3)); // 198.18.10.10: not ours
    byte[] otherPrefix = seal(peer, packet(NET_R2 | 2, NET_L | 2, 4)); // another pair's prefix
    for (byte[] esp : List.of(spoofedSource, wrongDestination, otherPrefix)) {
      assertThat(us.decapsulate(EspEngineTest.received(esp), 1, EspEngineTest.A)).isEqualTo(Drop.TS_MISMATCH);
    }
    assertThat(us.drops(Drop.TS_MISMATCH)).isEqualTo(3);
    assertThat(us.decapsulatedPackets()).isEqualTo(1);
    assertThat(us.drops(Drop.AUTH)).as("authentic packets, only their inner addresses are wrong").isZero();
    assertThat(registry.get("vpngw_esp_drops").tag("reason", "ts_mismatch").functionCounter().count()).isEqualTo(3.0);

    // A route-based SA (any/any) delivers all of them.
    EspEngine routeBased = engine();
    routeBased.addSa(sa(Direction.INBOUND, 0x1001, false, SelectorRanges.ANY));
    assertThat(routeBased.decapsulate(EspEngineTest.received(spoofedSource), 1, EspEngineTest.A)).isNull();
  }

  @Test
  void outboundPacketsPickTheChildWhoseSelectorsCoverThemAndEachIsSwitchedAlone() {
    EspEngine us = engine();
    us.addSa(sa(Direction.OUTBOUND, 0x2001, false, ts(NET_L, NET_R)));
    us.addSa(sa(Direction.OUTBOUND, 0x2002, false, ts(NET_L, NET_R2)));
    assertThat(spiOf(seal(us, packet(NET_L | 5, NET_R | 5, 1)))).isEqualTo(0x2001);
    assertThat(spiOf(seal(us, packet(NET_L | 5, NET_R2 | 5, 2)))).isEqualTo(0x2002);
    int slot = us.slots().slotOf("t");
    assertThat(us.encapsulate(slot, packet(0xC6120909, NET_R | 5, 3), 0)).as("source outside").isEqualTo(Drop.NO_OUTBOUND_SA);
    assertThat(us.currentOutbounds("t")).containsExactly(0x2001, 0x2002);

    // Rekey of the second pair: the new SA waits for the switch, then replaces only its own pair.
    us.addSa(sa(Direction.OUTBOUND, 0x2003, false, ts(NET_L, NET_R2)));
    assertThat(spiOf(seal(us, packet(NET_L | 5, NET_R2 | 5, 4)))).isEqualTo(0x2002);
    us.switchOutbound("t", 0x2003);
    us.deleteSa(Direction.OUTBOUND, 0x2002);
    assertThat(spiOf(seal(us, packet(NET_L | 5, NET_R2 | 5, 5)))).isEqualTo(0x2003);
    assertThat(spiOf(seal(us, packet(NET_L | 5, NET_R | 5, 6)))).isEqualTo(0x2001);

    // The first pair's child goes: its packets have no SA, the other pair is untouched.
    us.deleteSa(Direction.OUTBOUND, 0x2001);
    assertThat(us.encapsulate(slot, packet(NET_L | 5, NET_R | 5, 7), 0)).isEqualTo(Drop.NO_OUTBOUND_SA);
    assertThat(spiOf(seal(us, packet(NET_L | 5, NET_R2 | 5, 8)))).isEqualTo(0x2003);
  }

  @Test
  void aDuplicateChildTakesOverWhenTheCurrentOneOfItsPairIsDeleted() {
    EspEngine us = engine();
    us.addSa(sa(Direction.OUTBOUND, 0x3001, false, ts(NET_L, NET_R)));
    us.addSa(sa(Direction.OUTBOUND, 0x3002, false, ts(NET_L, NET_R)));
    assertThat(spiOf(seal(us, packet(NET_L | 5, NET_R | 5, 1)))).isEqualTo(0x3001);
    us.deleteSa(Direction.OUTBOUND, 0x3001);
    assertThat(spiOf(seal(us, packet(NET_L | 5, NET_R | 5, 2)))).isEqualTo(0x3002);
  }

  @Test
  void esnSequenceNumbersCrossTwoToThe32WithRealCryptoAndOldPacketsStayReplays() {
    EspEngine sender = engine();
    EspEngine receiver = engine();
    sender.addSa(sa(Direction.OUTBOUND, 0x4001, true, SelectorRanges.ANY));
    receiver.addSa(sa(Direction.INBOUND, 0x4001, true, SelectorRanges.ANY));
    // A receiver that did not negotiate ESN computes the AAD without the high half.
    EspEngine noEsn = engine();
    EspSaParams esnLess = sa(Direction.INBOUND, 0x4001, false, SelectorRanges.ANY);
    noEsn.addSa(new EspSaParams("t", Direction.INBOUND, 0x4001, GCM, esnLess.encKey(), new byte[0], false,
        EspEngineTest.A, EspEngineTest.B, 0, 0, SelectorRanges.ANY)); // no replay window: only the ICV decides
    EspEngineTest.outbound(sender).setSeqForTest(0xFFFFFFF0L);
    List<byte[]> sent = new ArrayList<>();
    for (int i = 0; i < 32; i++) { // sequence numbers 2^32-15 … 2^32+16
      sent.add(seal(sender, packet(NET_L | 1, NET_R | 1, i)));
    }
    byte[] beforeWrap = sent.get(13); // 0xFFFFFFFE
    for (int i = 0; i < 32; i++) {
      if (i == 13) {
        continue; // held back: arrives late, after the wrap
      }
      assertThat(receiver.decapsulate(EspEngineTest.received(sent.get(i)), 1, EspEngineTest.A)).as("packet %d", i).isNull();
    }
    long top = 0x100000000L + 16;
    assertThat(inboundSa(receiver).replay.top()).isEqualTo(top);
    // The late pre-wrap packet is inferred into the previous epoch (RFC 4303 A2.2) and accepted once.
    assertThat(receiver.decapsulate(EspEngineTest.received(beforeWrap), 1, EspEngineTest.A)).isNull();
    assertThat(receiver.decapsulate(EspEngineTest.received(beforeWrap), 1, EspEngineTest.A)).isEqualTo(Drop.REPLAY);
    assertThat(receiver.decapsulate(EspEngineTest.received(sent.get(2)), 1, EspEngineTest.A)).isEqualTo(Drop.REPLAY);
    assertThat(receiver.decapsulate(EspEngineTest.received(sent.get(20)), 1, EspEngineTest.A)).isEqualTo(Drop.REPLAY);
    assertThat(receiver.drops(Drop.REPLAY)).isEqualTo(3);
    assertThat(receiver.drops(Drop.AUTH)).isZero();
    assertThat(receiver.decapsulatedPackets()).isEqualTo(32);

    // With ESN the AAD is SPI || seq-high || seq-low (RFC 4106 §5): a mismatch fails on every packet.
    assertThat(noEsn.decapsulate(EspEngineTest.received(sent.get(0)), 1, EspEngineTest.A)).isEqualTo(Drop.AUTH);
    assertThat(noEsn.decapsulate(EspEngineTest.received(sent.get(20)), 1, EspEngineTest.A)).isEqualTo(Drop.AUTH);
  }

  static InboundSa inboundSa(EspEngine e) {
    try {
      var f = EspEngine.class.getDeclaredField("inbound");
      f.setAccessible(true);
      return ((SpiMap) f.get(e)).get(0x4001);
    } catch (ReflectiveOperationException ex) {
      throw new AssertionError(ex);
    }
  }
}
