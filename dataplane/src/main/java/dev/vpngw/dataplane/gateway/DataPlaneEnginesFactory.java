package dev.vpngw.dataplane.gateway;

/** Registers {@link DataPlaneEngines} with {@code vpngw run} (ServiceLoader). */
public final class DataPlaneEnginesFactory implements GatewayEnginesFactory {
  @Override
  public String name() {
    return DataPlaneEngines.NAME;
  }

  @Override
  public GatewayEngines create(RunOptions options) {
    return new DataPlaneEngines(options);
  }
}
