package dev.vpngw.dataplane.gateway;

import dev.vpngw.crds.ManifestException;
import dev.vpngw.crds.ManifestSet;
import dev.vpngw.crds.validation.Topology;
import dev.vpngw.dataplane.config.GatewayPlan;
import dev.vpngw.dataplane.config.GatewayPlanException;
import dev.vpngw.dataplane.config.GatewayPlanner;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads, validates and plans a built-in manifest set (reload-warmup.yaml: both kinds of site,
 * BGP, policy-based selectors, a custom policy) a few times in the background when the gateway
 * starts, and throws the plans away. A gateway often starts with no Connection (the operator adds
 * them later): then the first reload that adds one pays class loading, the Connection's CEL rules'
 * compilation and interpreted code for the whole validate-and-plan path — 200-500 ms measured
 * between {@code POST /v1/reload} and the new plan (bench/scale set-up row). The CEL programs are
 * cached in the shared {@code CrdSchemaValidator}, so the real reload reuses them.
 */
final class ReloadWarmup {
  private static final Logger LOG = LoggerFactory.getLogger(ReloadWarmup.class);
  static final String RESOURCE = "reload-warmup.yaml";
  private static final GatewayPlanner.Request REQUEST = new GatewayPlanner.Request("gw", 0, null);

  private ReloadWarmup() {}

  /** The built-in manifests, parsed and planned once; throws if they no longer plan (a test pins that). */
  static GatewayPlan planOnce(String yaml) throws ManifestException, GatewayPlanException {
    ManifestSet m = ManifestSet.parse(RESOURCE, yaml, Topology.DEFAULT_NAMESPACE);
    GatewayPlan plan = GatewayPlanner.plan(m, REQUEST);
    GatewayPlan.diff(plan, GatewayPlanner.plan(m, new GatewayPlanner.Request("gw", 1, null)));
    return plan;
  }

  static String manifests() {
    try (InputStream in = ReloadWarmup.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Plans the built-in manifests {@code rounds} times or until {@code budget} has passed; a
   * failure is only logged (the gateway works without warm-up, its first reload is just slower).
   */
  static int run(int rounds, Duration budget) {
    long start = System.nanoTime();
    long deadline = start + budget.toNanos();
    int done = 0;
    try {
      String yaml = manifests();
      while (done < rounds && System.nanoTime() < deadline) {
        planOnce(yaml);
        done++;
      }
    } catch (ManifestException | GatewayPlanException | RuntimeException e) {
      LOG.warn("reload warm-up failed (first reload will be slower): {}", e.toString());
    }
    LOG.info("reload warm-up: {} validate-and-plan round(s) in {} ms", done, (System.nanoTime() - start) / 1_000_000);
    return done;
  }
}
