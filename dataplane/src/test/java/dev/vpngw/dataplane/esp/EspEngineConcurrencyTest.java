package dev.vpngw.dataplane.esp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpngw.dataplane.esp.EspSaParams.Direction;
import dev.vpngw.dataplane.packet.PacketBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Rekeys (add inbound, add outbound, switch, delete old) run on the control thread while two packet
 * threads encapsulate and decapsulate without pause: no exception, no authentication failure, and
 * traffic keeps flowing across every rekey (make-before-break).
 */
class EspEngineConcurrencyTest {

  @Test
  void rekeyWhilePacketsFlow() throws Exception {
    EspTransform t = EspTransform.AES_GCM_16_128;
    TunnelSlots slotsA = new TunnelSlots();
    try (EspEngine a = new EspEngine(slotsA, 2); EspEngine b = new EspEngine(new TunnelSlots(), 2)) {
      install(a, b, t, 1);
      int slot = slotsA.slotOf("t");
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong delivered = new AtomicLong();
      AtomicLong unknownSpi = new AtomicLong();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      // One thread plays both packet directions in order (A encrypts, B decrypts) per packet.
      Thread packets = Thread.ofPlatform().start(() -> {
        PacketBuffer pb = new PacketBuffer();
        try {
          while (!stop.get()) {
            PacketBuffer p = EspEngineTest.ipv4(200, 1);
            System.arraycopy(p.data, 0, pb.data, 0, p.data.length);
            pb.set(p.offset, p.length);
            if (a.encapsulate(slot, pb, 0) != null) {
              continue;
            }
            Drop d = b.decapsulate(pb, 1, null);
            if (d == null) {
              delivered.incrementAndGet();
            } else if (d == Drop.UNKNOWN_SPI) {
              unknownSpi.incrementAndGet();
            } else {
              throw new AssertionError("unexpected drop " + d);
            }
          }
        } catch (Throwable e) {
          failure.set(e);
        }
      });
      for (int gen = 2; gen <= 200; gen++) {
        long before = delivered.get();
        install(a, b, t, gen);
        a.switchOutbound("t", spi(gen));
        // Old inbound SA stays until in-flight packets drained; here, delete right after switching.
        a.deleteSa(Direction.OUTBOUND, spi(gen - 1));
        b.deleteSa(Direction.INBOUND, spi(gen - 1));
        while (delivered.get() == before && failure.get() == null) {
          Thread.onSpinWait();
        }
      }
      stop.set(true);
      packets.join(5000);
      assertThat(failure.get()).isNull();
      assertThat(delivered.get()).isGreaterThanOrEqualTo(199);
      assertThat(a.drops(Drop.NO_OUTBOUND_SA)).isZero();
      assertThat(b.drops(Drop.AUTH)).isZero();
      assertThat(a.currentOutbound("t")).contains(spi(200));
    }
  }

  static int spi(int gen) {
    return 0x5000_0000 + gen;
  }

  static void install(EspEngine a, EspEngine b, EspTransform t, int gen) {
    byte[] key = EspKnownAnswerTest.filled(t.encKeymatBytes(), gen);
    b.addSa(new EspSaParams("t", Direction.INBOUND, spi(gen), t, key, new byte[0], false, EspEngineTest.B, EspEngineTest.A, 1024, 0));
    a.addSa(new EspSaParams("t", Direction.OUTBOUND, spi(gen), t, key, new byte[0], false, EspEngineTest.A, EspEngineTest.B, 0, 0));
  }
}
