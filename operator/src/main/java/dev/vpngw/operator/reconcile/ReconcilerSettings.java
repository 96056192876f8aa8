package dev.vpngw.operator.reconcile;

import dev.vpngw.operator.desired.OperatorSettings;
import java.time.Duration;

/**
 * How the reconcilers behave.
 *
 * @param objects what the desired-state builders need
 * @param pollInterval how often a gateway's instances are polled (and connections' status refreshed)
 * @param secretSyncDelay when an instance does not report its configuration revision: how long after
 *     an instance Secret changed to wait (kubelet volume sync) before calling POST /v1/reload
 */
public record ReconcilerSettings(OperatorSettings objects, Duration pollInterval, Duration secretSyncDelay) {

  public static ReconcilerSettings defaults() {
    return new ReconcilerSettings(OperatorSettings.defaults(), Duration.ofSeconds(10), Duration.ofSeconds(90));
  }
}
