package dev.vpngw.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpngw.operator.desired.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TakeoverTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  private static PodView pod(int i, boolean ready, String role) {
    return new PodView(i, "gw-" + i + "-0", "uid-" + i, "198.18.0." + (10 + i), ready, false, role);
  }

  @Test
  void firstStartMakesInstanceZeroActiveWithoutCountingATakeover() {
    var d = Takeover.decide(false, Map.of(0, pod(0, true, null), 1, pod(1, true, null)), Optional.empty(), Optional.empty(), T0);
    assertThat(d.roles()).containsEntry(0, Labels.ROLE_ACTIVE).containsEntry(1, Labels.ROLE_STANDBY);
    assertThat(d.event()).isEmpty();
  }

  @Test
  void readyActiveStays() {
    var d = Takeover.decide(false, Map.of(0, pod(0, true, "standby"), 1, pod(1, true, "active")), Optional.of(1),
        Optional.empty(), T0);
    assertThat(d.roles()).containsEntry(1, Labels.ROLE_ACTIVE).containsEntry(0, Labels.ROLE_STANDBY);
  }

  @Test
  void lostActiveIsReplacedByTheReadyStandbyAndTheTimeIsMeasuredFromTheFirstSighting() {
    // First sighting: active not ready, standby not ready either: nobody to promote, loss time kept.
    var d1 = Takeover.decide(false, Map.of(0, pod(0, false, "active"), 1, pod(1, false, "standby")), Optional.of(0),
        Optional.empty(), T0);
    assertThat(d1.lostSince()).contains(T0);
    assertThat(d1.event()).isEmpty();
    var d2 = Takeover.decide(false, Map.of(0, pod(0, false, "active"), 1, pod(1, true, "standby")), Optional.of(0),
        d1.lostSince(), T0.plusMillis(1500));
    assertThat(d2.roles()).containsEntry(1, Labels.ROLE_ACTIVE).containsEntry(0, Labels.ROLE_STANDBY);
    assertThat(d2.event()).hasValueSatisfying(e -> {
      assertThat(e.from()).isZero();
      assertThat(e.to()).isEqualTo(1);
      assertThat(e.took()).isEqualTo(Duration.ofMillis(1500));
    });
    assertThat(d2.lostSince()).isEmpty();
  }

  @Test
  void deletedActivePodCountsAsATakeover() {
    var d = Takeover.decide(false, Map.of(1, pod(1, true, "standby")), Optional.of(0), Optional.empty(), T0);
    assertThat(d.roles()).containsEntry(1, Labels.ROLE_ACTIVE);
    assertThat(d.event()).hasValueSatisfying(e -> assertThat(e.from()).isZero());
  }

  @Test
  void activeActiveLabelsBothActive() {
    var d = Takeover.decide(true, Map.of(0, pod(0, false, null), 1, pod(1, true, null)), Optional.empty(), Optional.empty(), T0);
    assertThat(d.roles()).containsEntry(0, Labels.ROLE_ACTIVE).containsEntry(1, Labels.ROLE_ACTIVE);
  }
}
