package dev.vpngw.dataplane.esp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpngw.dataplane.esp.EspSaParams.Direction;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The inbound SPI table: in-place updates, tombstones, rebuilds, and readers during churn. */
class SpiMapTest {
  static final InetSocketAddress A = new InetSocketAddress("198.18.0.1", 4500);
  static final InetSocketAddress B = new InetSocketAddress("198.18.0.2", 4500);
  /** Distinct SA objects; SPI s maps to SAS[s mod 16], so a lookup returning the wrong entry shows. */
  static final List<InboundSa> SAS = new ArrayList<>();

  static {
    for (int i = 0; i < 16; i++) {
      EspTransform t = EspTransform.AES_GCM_16_256;
      SAS.add(new InboundSa(new EspSaParams("t" + i, Direction.INBOUND, 0x1000 + i, t, new byte[t.encKeymatBytes()],
          new byte[t.integKeyBytes()], false, A, B, 64, 0), 1));
    }
  }

  static InboundSa sa(int spi) {
    return SAS.get(Math.floorMod(spi, 16));
  }

  @Test
  void tenThousandEntriesAreFoundAndOthersAreNot() {
    SpiMap m = new SpiMap();
    Random r = new Random(1);
    Map<Integer, InboundSa> model = new HashMap<>();
    while (model.size() < 20_000) {
      int spi = r.nextInt();
      if (spi != 0 && !model.containsKey(spi)) {
        assertThat(m.putIfAbsent(spi, sa(spi))).isTrue();
        model.put(spi, sa(spi));
      }
    }
    for (var e : model.entrySet()) {
      assertThat(m.get(e.getKey())).isSameAs(e.getValue());
      assertThat(m.putIfAbsent(e.getKey(), sa(e.getKey()))).isFalse();
    }
    for (int i = 0; i < 20_000; i++) {
      int spi = r.nextInt();
      if (!model.containsKey(spi)) {
        assertThat(m.get(spi)).isNull();
      }
    }
    assertThat(m.size()).isEqualTo(20_000);
    assertThat(m.capacity()).isLessThanOrEqualTo(4 * 20_000 * 2);
  }

  @Test
  void churnKeepsTheTableBoundedAndCorrect() {
    SpiMap m = new SpiMap();
    Random r = new Random(2);
    Map<Integer, InboundSa> model = new HashMap<>();
    List<Integer> live = new ArrayList<>();
    for (int op = 0; op < 200_000; op++) {
      if (live.size() < 1_000 && (live.isEmpty() || r.nextBoolean())) {
        int spi = r.nextInt();
        if (spi != 0 && !model.containsKey(spi)) {
          m.putIfAbsent(spi, sa(spi));
          model.put(spi, sa(spi));
          live.add(spi);
        }
      } else {
        int spi = live.remove(r.nextInt(live.size()));
        assertThat(m.remove(spi)).isSameAs(model.remove(spi));
        assertThat(m.get(spi)).isNull();
        assertThat(m.remove(spi)).isNull();
      }
    }
    for (int spi : live) {
      assertThat(m.get(spi)).isSameAs(model.get(spi));
    }
    int[] seen = {0};
    m.forEach(x -> seen[0]++);
    assertThat(seen[0]).isEqualTo(live.size()).isEqualTo(m.size());
    // Tombstones are cleared by rebuilds: the table follows the live count, not the history.
    assertThat(m.capacity()).isLessThanOrEqualTo(4096);
  }

  @Test
  void readersAlwaysFindEntriesThatStayWhileOthersChurn() throws Exception {
    SpiMap m = new SpiMap();
    int[] stable = new int[200];
    for (int i = 0; i < stable.length; i++) {
      stable[i] = 0x7000_0000 + i * 7919;
      m.putIfAbsent(stable[i], sa(stable[i]));
    }
    AtomicBoolean done = new AtomicBoolean();
    AtomicLong misses = new AtomicLong();
    AtomicLong lookups = new AtomicLong();
    Thread reader = Thread.ofPlatform().start(() -> {
      while (!done.get()) {
        for (int spi : stable) {
          if (m.get(spi) != sa(spi)) {
            misses.incrementAndGet();
          }
          lookups.incrementAndGet();
        }
      }
    });
    Random r = new Random(3);
    List<Integer> live = new ArrayList<>();
    for (int op = 0; op < 100_000; op++) {
      if (live.size() < 3_000 && (live.isEmpty() || r.nextBoolean())) {
        int spi = r.nextInt(0x4000_0000) + 1;
        if (m.putIfAbsent(spi, sa(spi))) {
          live.add(spi);
        }
      } else {
        m.remove(live.remove(r.nextInt(live.size())));
      }
    }
    done.set(true);
    reader.join();
    assertThat(lookups.get()).isPositive();
    assertThat(misses.get()).isZero();
  }
}
