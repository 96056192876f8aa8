package dev.vpngw.dataplane.ike.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpngw.dataplane.ike.IkeSaState;
import dev.vpngw.dataplane.ike.message.ExchangeType;
import dev.vpngw.dataplane.ike.message.IkeHeader;
import dev.vpngw.dataplane.testsupport.RecordingSaManager;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Dead peer detection (RFC 7296 §2.4) between two daemons: a liveness check goes out only after
 * the peer was silent for dpdTimeout / 3, where an authenticated IKE message (the peer's own DPD
 * request included) and inbound ESP on a child SA both count as the peer being alive.
 */
class DpdLivenessTest {
  /** A probe after 400 ms of silence; dead after 1.2 s. */
  static final Duration DPD = Duration.ofMillis(1200);

  private static ExchangePair pair() {
    ExchangePair p = new ExchangePair(c -> c.withTimers(ExchangePair.timers(), DPD), c -> c.withTimers(ExchangePair.timers(), DPD), 50);
    p.establish();
    return p;
  }

  /** INFORMATIONAL requests sent by {@code from} among the datagrams logged from index {@code since} on. */
  private static long probes(ExchangePair p, InetAddress from, int since) {
    var sent = p.net.sent();
    return sent.subList(since, sent.size()).stream().filter(d -> d.from().getAddress().equals(from))
        .map(InMemoryIkeNetwork.Datagram::data)
        .filter(d -> d.length > 20 && d[18] == ExchangeType.INFORMATIONAL.value() && (d[19] & IkeHeader.FLAG_RESPONSE) == 0)
        .count();
  }

  /** Feeds one "received" ESP packet every 100 ms to each inbound child SA of the given managers. */
  private static ScheduledExecutorService espTraffic(ExchangePair p, RecordingSaManager... receivers) {
    ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());
    s.scheduleAtFixedRate(() -> {
      for (RecordingSaManager sm : receivers) {
        var status = sm == p.smA ? p.sa() : p.sb();
        status.children().forEach(c -> sm.receiveEsp(c.inboundSpi()));
      }
    }, 0, 100, TimeUnit.MILLISECONDS);
    return s;
  }

  @Test
  void whileBothEndsAreIdleOnlyOneProbesPerRound() throws InterruptedException {
    try (ExchangePair p = pair()) {
      int since = p.net.sent().size();
      Thread.sleep(2400); // about five rounds of 400 ms silence
      long a = probes(p, ExchangePair.A, since);
      long b = probes(p, ExchangePair.B, since);
      // The first end whose timer runs out probes; the request is proof of life for the other.
      // Both probing every round would be ten or more.
      assertThat(a + b).as("A %d, B %d", a, b).isBetween(3L, 8L);
      assertThat(p.sa().state()).isEqualTo(IkeSaState.ESTABLISHED);
      assertThat(p.sb().state()).isEqualTo(IkeSaState.ESTABLISHED);
    }
  }

  @Test
  void inboundEspOnBothEndsMeansNoProbes() throws InterruptedException {
    try (ExchangePair p = pair()) {
      ScheduledExecutorService traffic = espTraffic(p, p.smA, p.smB);
      try {
        int since = p.net.sent().size();
        Thread.sleep(2000);
        assertThat(probes(p, ExchangePair.A, since) + probes(p, ExchangePair.B, since)).isZero();
        assertThat(p.sa().state()).isEqualTo(IkeSaState.ESTABLISHED);
        assertThat(p.sb().state()).isEqualTo(IkeSaState.ESTABLISHED);
      } finally {
        traffic.shutdownNow();
      }
    }
  }

  @Test
  void theEndThatHearsEspStaysQuietWhileTheOtherProbes() throws InterruptedException {
    try (ExchangePair p = pair()) {
      ScheduledExecutorService traffic = espTraffic(p, p.smB); // traffic A -> B only
      try {
        int since = p.net.sent().size();
        Thread.sleep(2000);
        assertThat(probes(p, ExchangePair.B, since)).as("B hears A's ESP").isZero();
        assertThat(probes(p, ExchangePair.A, since)).as("A hears nothing but answers").isGreaterThanOrEqualTo(3);
      } finally {
        traffic.shutdownNow();
      }
    }
  }

  @Test
  void aPeerThatGoesSilentAfterEspIsDeadWithinTheTimeout() throws InterruptedException {
    try (ExchangePair p = pair()) {
      ScheduledExecutorService traffic = espTraffic(p, p.smA);
      Thread.sleep(700); // past one DPD check, so the ESP was read as proof of life
      traffic.shutdownNow();
      traffic.awaitTermination(1, TimeUnit.SECONDS);
      long lastEsp = System.nanoTime();
      p.net.dropWhen(d -> d.from().getAddress().equals(ExchangePair.B)); // B dies
      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
          .until(() -> p.sa().state() == IkeSaState.DESTROYED);
      long deadAfterMs = (System.nanoTime() - lastEsp) / 1_000_000;
      assertThat(p.sa().lastError()).contains("peer not responding");
      // Dead at the last proof of life (the ESP) + dpdTimeout, plus scheduling slack.
      assertThat(deadAfterMs).isBetween(DPD.toMillis() - 150, DPD.toMillis() + 600);
    }
  }
}
