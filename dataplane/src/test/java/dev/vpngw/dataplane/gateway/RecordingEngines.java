package dev.vpngw.dataplane.gateway;

import dev.vpngw.dataplane.config.GatewayPlan;
import dev.vpngw.dataplane.config.PlanDiff;
import dev.vpngw.dataplane.status.TunnelStateSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Engines that record what the runtime asks of them. */
final class RecordingEngines implements GatewayEngines {
  final List<String> calls = new CopyOnWriteArrayList<>();
  final List<PlanDiff> diffs = new CopyOnWriteArrayList<>();
  volatile boolean ready = true;
  volatile RuntimeException failStart;

  @Override
  public String name() {
    return "recording";
  }

  @Override
  public void start(GatewayPlan plan) {
    calls.add("start " + plan.connections().size());
    if (failStart != null) {
      throw failStart;
    }
  }

  @Override
  public void apply(GatewayPlan plan, PlanDiff diff) {
    calls.add("apply");
    diffs.add(diff);
  }

  @Override
  public void stop() {
    calls.add("stop");
  }

  @Override
  public TunnelStateSource state() {
    return TunnelStateSource.empty();
  }

  @Override
  public boolean ready() {
    return ready;
  }

  @Override
  public String resetConnection(String connection) {
    calls.add("reset " + connection);
    return "ok";
  }

  @Override
  public String resetGateway() {
    calls.add("reset-gateway");
    return "ok";
  }

  @Override
  public String rekey(String connection, boolean ike) {
    calls.add("rekey " + connection + " ike=" + ike);
    return "ok";
  }
}
