package dev.vpngw.dataplane.esp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vpngw.dataplane.esp.EspSaParams.Direction;
import dev.vpngw.dataplane.packet.Ipv4;
import dev.vpngw.dataplane.packet.PacketBuffer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two engines wired back to back in memory (A's outbound SA is B's inbound SA): round trips for
 * every transform, and every kind of bad input dropped, counted and never delivered.
 */
class EspEngineTest {
  static final int SPI_AB = 0x0a0b0001;
  static final int SPI_BA = 0x0b0a0001;
  static final InetSocketAddress A = new InetSocketAddress("198.18.0.1", 4500);
  static final InetSocketAddress B = new InetSocketAddress("198.18.0.2", 4500);

  final List<EspEngine> engines = new ArrayList<>();

  @AfterEach
  void close() {
    engines.forEach(EspEngine::close);
  }

  record Pair(EspEngine a, EspEngine b, int slotA) {}

  Pair pair(EspTransform t, boolean esn, int window, long lifetimeBytes) {
    byte[] enc = EspKnownAnswerTest.filled(t.encKeymatBytes(), 0x42);
    byte[] integ = EspKnownAnswerTest.filled(t.integKeyBytes(), 0x24);
    EspEngine a = new EspEngine(new TunnelSlots(), 2);
    EspEngine b = new EspEngine(new TunnelSlots(), 2);
    engines.add(a);
    engines.add(b);
    a.addSa(new EspSaParams("t", Direction.OUTBOUND, SPI_AB, t, enc, integ, esn, A, B, 0, lifetimeBytes));
    b.addSa(new EspSaParams("t", Direction.INBOUND, SPI_AB, t, enc, integ, esn, B, A, window, lifetimeBytes));
    return new Pair(a, b, a.slots().slotOf("t"));
  }

  static PacketBuffer ipv4(int payloadLen, int marker) {
    PacketBuffer pb = new PacketBuffer();
    byte[] p = pb.data;
    int o = PacketBuffer.HEADROOM;
    int len = 20 + 8 + payloadLen;
    p[o] = 0x45;
    Ipv4.put16(p, o + 2, len);
    p[o + 8] = 64;
    p[o + 9] = (byte) Ipv4.PROTO_UDP;
    Ipv4.put32(p, o + 12, 0xC6120102);
    Ipv4.put32(p, o + 16, 0xC6120202);
    Ipv4.fillHeaderChecksum(p, o);
    for (int i = 0; i < payloadLen; i++) {
      p[o + 28 + i] = (byte) (marker + i);
    }
    pb.set(o, len);
    return pb;
  }

  static byte[] bytes(PacketBuffer pb) {
    return Arrays.copyOfRange(pb.data, pb.offset, pb.offset + pb.length);
  }

  /** Copies an ESP packet into a fresh receive buffer at offset 0, as the UDP socket would. */
  static PacketBuffer received(byte[] esp) {
    PacketBuffer pb = new PacketBuffer(4096);
    System.arraycopy(esp, 0, pb.data, 0, esp.length);
    pb.set(0, esp.length);
    return pb;
  }

  byte[] seal(Pair p, int payloadLen, int marker) {
    PacketBuffer pb = ipv4(payloadLen, marker);
    assertThat(p.a().encapsulate(p.slotA(), pb, 0)).isNull();
    assertThat(pb.peer).isEqualTo(B);
    return bytes(pb);
  }

  @ParameterizedTest
  @EnumSource(EspTransform.class)
  void roundTripEveryTransform(EspTransform t) {
    for (boolean esn : new boolean[] {false, true}) {
      Pair p = pair(t, esn, 1024, 0);
      for (int size : new int[] {0, 1, 13, 100, 1372}) {
        PacketBuffer original = ipv4(size, size);
        byte[] plain = bytes(original);
        byte[] esp = seal(p, size, size);
        assertThat(esp.length % 4).isZero();
        PacketBuffer rx = received(esp);
        assertThat(p.b().decapsulate(rx, 1, A)).as(t + " esn=" + esn + " size=" + size).isNull();
        assertThat(bytes(rx)).isEqualTo(plain);
      }
      assertThat(p.b().query(Direction.INBOUND, SPI_AB).orElseThrow().packets()).isEqualTo(5);
      assertThat(p.a().query(Direction.OUTBOUND, SPI_AB).orElseThrow().packets()).isEqualTo(5);
    }
  }

  /** Out of place into a send batch: same bytes as in place, the input untouched, decryptable. */
  @ParameterizedTest
  @EnumSource(value = EspTransform.class, names = {"AES_GCM_16_256", "AES_CBC_256_HMAC_SHA256_128"})
  void encapsulateIntoBatchMatchesInPlace(EspTransform t) {
    Pair inPlace = pair(t, false, 1024, 0);
    Pair outOfPlace = pair(t, false, 1024, 0);
    byte[] batch = new byte[8192];
    int at = 5;
    for (int size : new int[] {0, 1, 13, 1372}) {
      byte[] expected = seal(inPlace, size, size);
      PacketBuffer pb = ipv4(size, size);
      java.util.Arrays.fill(pb.data, pb.offset + pb.length, pb.data.length, (byte) 0x5A);
      byte[] before = pb.data.clone();
      assertThat(outOfPlace.a().encapsulateInto(outOfPlace.slotA(), pb, 0, batch, at)).isNull();
      assertThat(pb.data).as("input and the bytes after it are left as they were").isEqualTo(before);
      assertThat(pb.peer).isEqualTo(B);
      byte[] esp = Arrays.copyOfRange(batch, at, at + pb.sealedLength);
      if (t == EspTransform.AES_GCM_16_256) {
        assertThat(esp).isEqualTo(expected); // deterministic IV = sequence number
      }
      PacketBuffer rx = received(esp);
      assertThat(outOfPlace.b().decapsulate(rx, 1, A)).isNull();
      assertThat(bytes(rx)).isEqualTo(bytes(ipv4(size, size)));
      at += pb.sealedLength;
    }
    PacketBuffer pb = ipv4(100, 1);
    assertThat(outOfPlace.a().encapsulateInto(outOfPlace.slotA(), pb, 0, batch, batch.length - 50)).isEqualTo(Drop.TOO_BIG);
  }

  @Test
  void replayedPacketIsDroppedAndCounted() {
    Pair p = pair(EspTransform.AES_GCM_16_256, false, 1024, 0);
    byte[] esp = seal(p, 50, 1);
    assertThat(p.b().decapsulate(received(esp), 0, A)).isNull();
    assertThat(p.b().decapsulate(received(esp), 0, A)).isEqualTo(Drop.REPLAY);
    assertThat(p.b().drops(Drop.REPLAY)).isEqualTo(1);
    assertThat(p.b().query(Direction.INBOUND, SPI_AB).orElseThrow().replayDrops()).isEqualTo(1);
    assertThat(p.b().decapsulatedPackets()).isEqualTo(1);
  }

  @Test
  void reorderingWithinWindowAcceptedOlderThanWindowDropped() {
    Pair p = pair(EspTransform.AES_GCM_16_128, false, 64, 0);
    List<byte[]> sent = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      sent.add(seal(p, 10, i));
    }
    assertThat(p.b().decapsulate(received(sent.get(99)), 0, A)).isNull(); // seq 100
    assertThat(p.b().decapsulate(received(sent.get(60)), 0, A)).isNull(); // seq 61: inside window
    assertThat(p.b().decapsulate(received(sent.get(30)), 0, A)).isEqualTo(Drop.REPLAY); // seq 31: too old
    assertThat(p.b().decapsulate(received(sent.get(60)), 0, A)).isEqualTo(Drop.REPLAY);
    assertThat(p.b().drops(Drop.REPLAY)).isEqualTo(2);
  }

  @Test
  void esnCrossesTheLow32BitWrap() {
    Pair p = pair(EspTransform.AES_CBC_128_HMAC_SHA256_128, true, 128, 0);
    OutboundSa out = outbound(p.a());
    out.setSeqForTest(0xFFFFFFF0L);
    for (int i = 0; i < 40; i++) {
      byte[] esp = seal(p, 20, i);
      assertThat(p.b().decapsulate(received(esp), 0, A)).as("packet %d", i).isNull();
    }
    assertThat(inbound(p.b()).replay.top()).isEqualTo(0xFFFFFFF0L + 40);
    assertThat(p.b().drops(Drop.AUTH)).isZero();
  }

  @Test
  void withoutEsnTheSequenceNeverWrapsAndRekeyIsRequested() {
    Pair p = pair(EspTransform.AES_GCM_16_128, false, 64, 0);
    List<String> events = new CopyOnWriteArrayList<>();
    p.a().setEventListener((tunnel, dir, spi) -> events.add(tunnel + " " + dir + " " + Integer.toHexString(spi)));
    outbound(p.a()).setSeqForTest(0xFFFFFFFEL);
    seal(p, 10, 0); // seq 0xFFFFFFFF is the last one
    assertThat(p.a().encapsulate(p.slotA(), ipv4(10, 0), 0)).isEqualTo(Drop.SEQ_OVERFLOW);
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> !events.isEmpty());
    assertThat(events.getFirst()).isEqualTo("t OUTBOUND " + Integer.toHexString(SPI_AB));
  }

  @Test
  void truncatedPacketsAreMalformed() {
    Pair p = pair(EspTransform.AES_CBC_256_HMAC_SHA1_96, false, 64, 0);
    byte[] esp = seal(p, 40, 1);
    for (int len : new int[] {0, 3, 7, 8, 20, 8 + 16 + 12 + 1, esp.length - 1}) {
      PacketBuffer rx = received(esp);
      rx.length = len;
      assertThat(p.b().decapsulate(rx, 0, A)).as("length %d", len).isEqualTo(Drop.MALFORMED);
    }
    assertThat(p.b().drops(Drop.MALFORMED)).isEqualTo(7);
    assertThat(p.b().decapsulatedPackets()).isZero();
  }

  @ParameterizedTest
  @EnumSource(value = EspTransform.class, names = {"AES_GCM_16_256", "AES_CBC_128_HMAC_SHA256_128", "NULL_HMAC_SHA1_96"})
  void forgedIcvOrCiphertextFailsAuthentication(EspTransform t) {
    Pair p = pair(t, false, 64, 0);
    byte[] esp = seal(p, 40, 1);
    int[] positions = {4, 8, 30, esp.length - 20, esp.length - 1};
    for (int pos : positions) {
      byte[] forged = esp.clone();
      forged[pos] ^= 0x01;
      assertThat(p.b().decapsulate(received(forged), 0, A)).as("bit flipped at %d", pos).isIn(Drop.AUTH, Drop.REPLAY);
    }
    assertThat(p.b().drops(Drop.AUTH)).isGreaterThanOrEqualTo(4);
    assertThat(p.b().query(Direction.INBOUND, SPI_AB).orElseThrow().authDrops()).isEqualTo(p.b().drops(Drop.AUTH));
    assertThat(p.b().decapsulatedPackets()).isZero();
    // The genuine packet still gets through: forgeries did not advance the window.
    assertThat(p.b().decapsulate(received(esp), 0, A)).isNull();
  }

  /** Seals a hand-made ESP payload (arbitrary trailer) with A's crypto, so only the trailer is wrong. */
  byte[] sealRaw(Pair p, byte[] payloadAndTrailer) {
    OutboundSa out = outbound(p.a());
    EspCrypto c = out.crypto(0);
    long seq = out.nextSeq();
    byte[] b = new byte[8 + c.ivLength() + payloadAndTrailer.length + c.icvLength()];
    Ipv4.put32(b, 0, SPI_AB);
    Ipv4.put32(b, 4, (int) seq);
    System.arraycopy(payloadAndTrailer, 0, b, 8 + c.ivLength(), payloadAndTrailer.length);
    c.seal(b, 0, payloadAndTrailer.length, seq, false);
    return b;
  }

  static byte[] trailer(byte[] inner, int nextHeader, int... pad) {
    byte[] out = Arrays.copyOf(inner, inner.length + pad.length + 2);
    for (int i = 0; i < pad.length; i++) {
      out[inner.length + i] = (byte) pad[i];
    }
    out[out.length - 2] = (byte) pad.length;
    out[out.length - 1] = (byte) nextHeader;
    return out;
  }

  @Test
  void badPaddingNextHeaderDummyAndInnerPacketAreDropped() {
    Pair p = pair(EspTransform.AES_CBC_128_HMAC_SHA256_128, false, 64, 0);
    byte[] inner = bytes(ipv4(18, 7)); // 46 bytes: +2 trailer = 48, block aligned with 0 pad
    byte[] inner2 = Arrays.copyOf(inner, 44); // 44 + 2 pad + 2 = 48
    Ipv4.put16(inner2, 2, 44);

    // sanity: a correct hand-made packet is accepted
    assertThat(p.b().decapsulate(received(sealRaw(p, trailer(inner2, 4, 1, 2))), 0, A)).isNull();

    assertThat(p.b().decapsulate(received(sealRaw(p, trailer(inner2, 4, 2, 1))), 0, A)).isEqualTo(Drop.BAD_PADDING);
    assertThat(p.b().decapsulate(received(sealRaw(p, trailer(inner2, 4, 0, 0))), 0, A)).isEqualTo(Drop.BAD_PADDING);
    byte[] padTooLong = trailer(inner, 4);
    padTooLong[padTooLong.length - 2] = (byte) 200;
    assertThat(p.b().decapsulate(received(sealRaw(p, padTooLong)), 0, A)).isEqualTo(Drop.BAD_PADDING);
    assertThat(p.b().drops(Drop.BAD_PADDING)).isEqualTo(3);

    assertThat(p.b().decapsulate(received(sealRaw(p, trailer(inner, 41))), 0, A)).isEqualTo(Drop.BAD_NEXT_HEADER);
    assertThat(p.b().decapsulate(received(sealRaw(p, trailer(inner, 59))), 0, A)).isEqualTo(Drop.DUMMY);
    byte[] notIpv4 = inner.clone();
    notIpv4[0] = 0x65;
    assertThat(p.b().decapsulate(received(sealRaw(p, trailer(notIpv4, 4))), 0, A)).isEqualTo(Drop.BAD_INNER);
    byte[] lies = inner.clone();
    Ipv4.put16(lies, 2, 1000); // total length beyond the payload
    assertThat(p.b().decapsulate(received(sealRaw(p, trailer(lies, 4))), 0, A)).isEqualTo(Drop.BAD_INNER);

    assertThat(p.b().decapsulatedPackets()).isEqualTo(1);
    assertThat(p.b().otherDrops(Direction.INBOUND, SPI_AB)).isEqualTo(6);
  }

  @Test
  void tfcPaddedInnerPacketIsCutToItsTotalLength() {
    Pair p = pair(EspTransform.AES_GCM_16_128, false, 64, 0);
    byte[] inner = bytes(ipv4(10, 3));
    byte[] padded = Arrays.copyOf(inner, inner.length + 30); // TFC padding after the packet
    PacketBuffer rx = received(sealRaw(p, trailer(padded, 4, 1, 2)));
    assertThat(p.b().decapsulate(rx, 0, A)).isNull();
    assertThat(bytes(rx)).isEqualTo(inner);
  }

  @Test
  void unknownSpiIsDroppedCountedAndReported() {
    Pair p = pair(EspTransform.AES_GCM_16_128, false, 64, 0);
    List<Integer> unknown = new CopyOnWriteArrayList<>();
    p.b().setEventListener(new SaEvents() {
      @Override
      public void softLifetimeReached(String tunnel, Direction direction, int spi) {}

      @Override
      public void unknownSpi(int spi, InetSocketAddress from) {
        unknown.add(spi);
      }
    });
    byte[] esp = seal(p, 10, 0);
    Ipv4.put32(esp, 0, 0x12345678);
    assertThat(p.b().decapsulate(received(esp), 0, A)).isEqualTo(Drop.UNKNOWN_SPI);
    assertThat(p.b().drops(Drop.UNKNOWN_SPI)).isEqualTo(1);
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> unknown.contains(0x12345678));
  }

  @Test
  void softLifetimeFiresOnceForEachDirection() {
    Pair p = pair(EspTransform.AES_GCM_16_128, false, 1024, 1000);
    List<String> events = new CopyOnWriteArrayList<>();
    p.a().setEventListener((tunnel, dir, spi) -> events.add("A " + dir));
    p.b().setEventListener((tunnel, dir, spi) -> events.add("B " + dir));
    for (int i = 0; i < 30; i++) {
      assertThat(p.b().decapsulate(received(seal(p, 100, i)), 0, A)).isNull();
    }
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> events.size() >= 2);
    assertThat(events).containsExactlyInAnyOrder("A OUTBOUND", "B INBOUND");
  }

  @Test
  void makeBeforeBreakRekeyAndDeletes() {
    EspTransform t = EspTransform.AES_GCM_16_128;
    Pair p = pair(t, false, 64, 0);
    byte[] k2 = EspKnownAnswerTest.filled(t.encKeymatBytes(), 0x77);
    p.b().addSa(new EspSaParams("t", Direction.INBOUND, SPI_AB + 1, t, k2, new byte[0], false, B, A, 64, 0));
    p.a().addSa(new EspSaParams("t", Direction.OUTBOUND, SPI_AB + 1, t, k2, new byte[0], false, A, B, 0, 0));
    assertThat(p.a().currentOutbound("t")).contains(SPI_AB);
    byte[] old = seal(p, 10, 0);
    p.a().switchOutbound("t", SPI_AB + 1);
    byte[] fresh = seal(p, 10, 0);
    assertThat(Ipv4.i32(fresh, 0)).isEqualTo(SPI_AB + 1);
    assertThat(p.b().decapsulate(received(old), 0, A)).isNull();
    assertThat(p.b().decapsulate(received(fresh), 0, A)).isNull();

    p.a().deleteSa(Direction.OUTBOUND, SPI_AB);
    p.b().deleteSa(Direction.INBOUND, SPI_AB);
    p.b().deleteSa(Direction.INBOUND, SPI_AB); // idempotent
    assertThat(p.b().decapsulate(received(old), 0, A)).isEqualTo(Drop.UNKNOWN_SPI);
    assertThat(p.a().currentOutbound("t")).contains(SPI_AB + 1);

    p.a().deleteTunnel("t");
    p.b().deleteTunnel("t");
    assertThat(p.a().currentOutbound("t")).isEmpty();
    assertThat(p.a().encapsulate(p.slotA(), ipv4(10, 0), 0)).isEqualTo(Drop.NO_OUTBOUND_SA);
    assertThat(p.b().query(Direction.INBOUND, SPI_AB + 1)).isEmpty();
  }

  @Test
  void updateRemoteRedirectsOutboundPackets() {
    Pair p = pair(EspTransform.AES_GCM_16_128, false, 64, 0);
    InetSocketAddress moved = new InetSocketAddress("198.18.0.2", 34567);
    p.a().updateRemote("t", moved);
    PacketBuffer pb = ipv4(10, 0);
    assertThat(p.a().encapsulate(p.slotA(), pb, 0)).isNull();
    assertThat(pb.peer).isEqualTo(moved);
  }

  @Test
  void allocatedSpisAreUniqueAndNotReserved() {
    EspEngine e = new EspEngine(new TunnelSlots(), 1);
    engines.add(e);
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (int i = 0; i < 2000; i++) {
      int spi = e.allocateInboundSpi();
      assertThat(Integer.toUnsignedLong(spi)).isGreaterThanOrEqualTo(256);
      assertThat(seen.add(spi)).isTrue();
    }
    int spi = e.allocateInboundSpi();
    e.addSa(new EspSaParams("t", Direction.INBOUND, spi, EspTransform.AES_GCM_16_128, new byte[20], null, false, A, B, 64, 0));
    assertThat(e.query(Direction.INBOUND, spi)).isPresent();
  }

  @Test
  void countersArePublishedToMicrometer() {
    Pair p = pair(EspTransform.AES_GCM_16_128, false, 64, 0);
    var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    EspMetrics.bind(registry, p.b(), "gw-b");
    byte[] esp = seal(p, 10, 0);
    p.b().decapsulate(received(esp), 0, A);
    p.b().decapsulate(received(esp), 0, A);
    assertThat(registry.get("vpngw_esp_packets").tag("direction", "in").functionCounter().count()).isEqualTo(1);
    assertThat(registry.get("vpngw_esp_drops").tag("reason", "replay").functionCounter().count()).isEqualTo(1);
  }

  @Test
  void badParametersAreRejectedWithTheField() {
    EspEngine e = new EspEngine(new TunnelSlots(), 1);
    engines.add(e);
    EspTransform t = EspTransform.AES_GCM_16_256;
    assertThatThrownBy(() -> e.addSa(new EspSaParams("t", Direction.INBOUND, 5, t, new byte[16], null, false, A, B, 64, 0)))
        .hasMessageContaining("encKey").hasMessageContaining("36");
    assertThatThrownBy(() -> e.addSa(new EspSaParams("t", Direction.INBOUND, 0, t, new byte[36], null, false, A, B, 64, 0)))
        .hasMessageContaining("spi 0");
    e.addSa(new EspSaParams("t", Direction.INBOUND, 5, t, new byte[36], null, false, A, B, 64, 0));
    assertThatThrownBy(() -> e.addSa(new EspSaParams("t", Direction.INBOUND, 5, t, new byte[36], null, false, A, B, 64, 0)))
        .hasMessageContaining("already installed");
    assertThatThrownBy(() -> e.switchOutbound("t", 99)).hasMessageContaining("00000063");
  }

  @Test
  void spiTableHoldsManySas() {
    EspEngine e = new EspEngine(new TunnelSlots(), 1);
    engines.add(e);
    EspTransform t = EspTransform.NULL_HMAC_SHA1_96;
    for (int i = 1; i <= 500; i++) {
      e.addSa(new EspSaParams("t" + i, Direction.INBOUND, i * 7919, t, new byte[0], new byte[20], false, A, B, 64, 0));
    }
    for (int i = 1; i <= 500; i += 2) {
      e.deleteSa(Direction.INBOUND, i * 7919);
    }
    for (int i = 1; i <= 500; i++) {
      assertThat(e.query(Direction.INBOUND, i * 7919).isPresent()).as("spi %d", i * 7919).isEqualTo(i % 2 == 0);
    }
  }

  static OutboundSa outbound(EspEngine e) {
    try {
      var f = EspEngine.class.getDeclaredField("outboundBySpi");
      f.setAccessible(true);
      @SuppressWarnings("unchecked")
      var m = (java.util.Map<Integer, OutboundSa>) f.get(e);
      return m.values().iterator().next();
    } catch (ReflectiveOperationException ex) {
      throw new AssertionError(ex);
    }
  }

  static InboundSa inbound(EspEngine e) {
    try {
      var f = EspEngine.class.getDeclaredField("inbound");
      f.setAccessible(true);
      return ((SpiMap) f.get(e)).get(SPI_AB);
    } catch (ReflectiveOperationException ex) {
      throw new AssertionError(ex);
    }
  }
}
