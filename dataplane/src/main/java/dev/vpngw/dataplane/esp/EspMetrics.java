package dev.vpngw.dataplane.esp;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Publishes the engine's packet counters to Micrometer (Prometheus): packets encapsulated and
 * decapsulated, and drops per {@link Drop} reason. Read lazily at scrape time; nothing on the packet
 * path changes.
 */
public final class EspMetrics {
  private EspMetrics() {}

  public static void bind(MeterRegistry registry, EspEngine engine, String gateway) {
    FunctionCounter.builder("vpngw_esp_packets", engine, EspEngine::encapsulatedPackets)
        .tag("gateway", gateway).tag("direction", "out")
        .description("ESP packets sent").register(registry);
    FunctionCounter.builder("vpngw_esp_packets", engine, EspEngine::decapsulatedPackets)
        .tag("gateway", gateway).tag("direction", "in")
        .description("ESP packets received, verified and delivered").register(registry);
    for (Drop reason : Drop.VALUES) {
      FunctionCounter.builder("vpngw_esp_drops", engine, e -> e.drops(reason))
          .tag("gateway", gateway).tag("reason", reason.name().toLowerCase(java.util.Locale.ROOT))
          .description("packets dropped by the ESP data path").register(registry);
    }
  }
}
