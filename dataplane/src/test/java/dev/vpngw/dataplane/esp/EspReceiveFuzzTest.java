package dev.vpngw.dataplane.esp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vpngw.dataplane.esp.EspSaParams.Direction;
import dev.vpngw.dataplane.packet.Ipv4;
import dev.vpngw.dataplane.packet.PacketBuffer;
import java.net.InetSocketAddress;

/**
 * Fuzzes the ESP receive path. Two modes: raw datagrams (SPI forced to an installed one half of the
 * time, so length/replay/ICV checks are reached), and authentic packets whose decrypted content
 * (payload, padding, pad length, next header) is fuzzer-chosen, so the post-decryption parsers are
 * reached too. Invariant: never an exception, and anything delivered is a sane IPv4 packet inside
 * the buffer.
 *
 * <p>In the normal suite this replays the regression inputs only. Long run:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl dataplane -am test -Dtest=EspReceiveFuzzTest -Dsurefire.failIfNoSpecifiedTests=false}
 * (then raise {@code maxDuration}, or pass {@code -Djazzer.max_duration=10m}).
 */
class EspReceiveFuzzTest {
  private static final int SPI = 0x0f0f0001;
  private static final InetSocketAddress A = new InetSocketAddress("198.18.0.1", 4500);
  private static final InetSocketAddress B = new InetSocketAddress("198.18.0.2", 4500);
  private static final EspEngine[] RX = new EspEngine[3];
  private static final EspEngine[] TX = new EspEngine[3];
  private static final EspTransform[] TRANSFORMS = {
      EspTransform.AES_GCM_16_128, EspTransform.AES_CBC_128_HMAC_SHA256_128, EspTransform.NULL_HMAC_SHA1_96};
  private final PacketBuffer pb = new PacketBuffer(4096);

  static {
    for (int i = 0; i < TRANSFORMS.length; i++) {
      EspTransform t = TRANSFORMS[i];
      byte[] enc = EspKnownAnswerTest.filled(t.encKeymatBytes(), 3);
      byte[] integ = EspKnownAnswerTest.filled(t.integKeyBytes(), 5);
      RX[i] = new EspEngine(new TunnelSlots(), 1);
      RX[i].addSa(new EspSaParams("f", Direction.INBOUND, SPI, t, enc, integ, i == 1, B, A, 64, 0));
      TX[i] = new EspEngine(new TunnelSlots(), 1);
      TX[i].addSa(new EspSaParams("f", Direction.OUTBOUND, SPI, t, enc, integ, i == 1, A, B, 0, 0));
    }
  }

  @FuzzTest(maxDuration = "10s")
  void receivePathNeverCrashesNorDeliversGarbage(FuzzedDataProvider data) {
    int which = data.consumeInt(0, TRANSFORMS.length - 1);
    boolean authentic = data.consumeBoolean();
    byte[] body = data.consumeRemainingAsBytes();
    if (body.length > 3000) {
      return;
    }
    if (authentic) {
      // Fuzzer-chosen plaintext (payload + trailer) sealed with the real key.
      OutboundSa out = EspEngineTest.outbound(TX[which]);
      EspCrypto c = out.crypto(0);
      int align = c.alignment();
      int ptLen = Math.max(align, body.length - body.length % align);
      long seq = out.nextSeq();
      java.util.Arrays.fill(pb.data, (byte) 0);
      Ipv4.put32(pb.data, 0, SPI);
      Ipv4.put32(pb.data, 4, (int) seq);
      System.arraycopy(body, 0, pb.data, 8 + c.ivLength(), Math.min(body.length, ptLen));
      c.seal(pb.data, 0, ptLen, seq, out.esn);
      pb.set(0, 8 + c.ivLength() + ptLen + c.icvLength());
    } else {
      System.arraycopy(body, 0, pb.data, 0, body.length);
      if (body.length >= 4 && (body[0] & 1) == 0) {
        Ipv4.put32(pb.data, 0, SPI);
      }
      pb.set(0, body.length);
    }
    Drop drop = RX[which].decapsulate(pb, 0, A);
    if (drop == null) {
      assertThat(pb.offset).isGreaterThanOrEqualTo(8);
      assertThat(pb.offset + pb.length).isLessThanOrEqualTo(pb.data.length);
      assertThat(Ipv4.isValid(pb.data, pb.offset, pb.length)).isTrue();
      assertThat(authentic).as("only authentic packets can be delivered").isTrue();
    }
  }
}
