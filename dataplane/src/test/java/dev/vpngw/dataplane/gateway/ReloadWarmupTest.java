package dev.vpngw.dataplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpngw.dataplane.config.ConnectionPlan;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReloadWarmupTest {

  /** The built-in manifests must stay valid: a warm-up that fails validation would warm nothing. */
  @Test
  void builtInManifestsPlanBothKindsOfSite() throws Exception {
    var plan = ReloadWarmup.planOnce(ReloadWarmup.manifests());
    assertThat(plan.excluded()).isEmpty();
    assertThat(plan.connections()).extracting(ConnectionPlan::name).containsExactlyInAnyOrder("to-bgp-site", "to-static-site");
    assertThat(ReloadWarmup.run(3, Duration.ofSeconds(30))).isEqualTo(3);
  }
}
