package dev.vpngw.dataplane.loadgen;

import dev.vpngw.dataplane.esp.EspSaParams;
import dev.vpngw.dataplane.esp.SaEvents;
import dev.vpngw.dataplane.esp.SaManager;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * The load generator's SA manager: counts the child SAs IKE negotiated and forgets their keys. The
 * generator measures the responder; carrying ESP itself would only take CPU from it.
 */
final class DiscardingSaManager implements SaManager {
  private final LongAdder installed = new LongAdder();

  @Override
  public void addSa(EspSaParams params) {
    installed.increment();
  }

  @Override
  public void switchOutbound(String tunnel, int spi) {}

  @Override
  public void deleteSa(EspSaParams.Direction direction, int spi) {}

  @Override
  public void deleteTunnel(String tunnel) {}

  @Override
  public Optional<SaStats> query(EspSaParams.Direction direction, int spi) {
    return Optional.empty();
  }

  @Override
  public void setEventListener(SaEvents listener) {}

  long installed() {
    return installed.sum();
  }
}
