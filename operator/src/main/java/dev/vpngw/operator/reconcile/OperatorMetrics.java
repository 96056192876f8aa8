package dev.vpngw.operator.reconcile;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** The operator's own metrics (next to JOSDK's reconcile metrics), served on /metrics. */
public final class OperatorMetrics {
  private final MeterRegistry registry;
  private final Timer takeovers;

  public OperatorMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.takeovers = Timer.builder("vpngw_operator_takeover")
        .description("Active-standby takeovers: from the operator seeing the active instance lost to the standby relabelled active")
        .register(registry);
  }

  void applied(String kind, String outcome) {
    Counter.builder("vpngw_operator_objects_applied").description("Objects created or updated")
        .tag("kind", kind).tag("outcome", outcome.toLowerCase(java.util.Locale.ROOT)).register(registry).increment();
  }

  void poll(boolean ok) {
    Counter.builder("vpngw_operator_status_polls").description("GET /status calls to gateway instances")
        .tag("result", ok ? "ok" : "error").register(registry).increment();
  }

  void operation(String op, boolean ok) {
    Counter.builder("vpngw_operator_admin_operations").description("POST operations sent to gateway instances")
        .tag("operation", op).tag("result", ok ? "ok" : "error").register(registry).increment();
  }

  void takeover(Duration took) {
    takeovers.record(took);
  }

  public MeterRegistry registry() {
    return registry;
  }
}
