package dev.vpngw.dataplane.gateway;

/**
 * Creates the real engines. Found with {@link java.util.ServiceLoader} (a
 * {@code META-INF/services/dev.vpngw.dataplane.gateway.GatewayEnginesFactory} entry) so the engines
 * can be wired without touching the CLI; when none is registered {@code vpngw run} uses
 * {@link PlanOnlyEngines}.
 */
public interface GatewayEnginesFactory {

  /** Name for {@code vpngw run --engine <name>}. */
  String name();

  GatewayEngines create(RunOptions options);
}
