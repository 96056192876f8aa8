package dev.vpngw.dataplane.gateway;

import dev.vpngw.crds.ManifestException;
import dev.vpngw.crds.ManifestSet;
import dev.vpngw.crds.validation.Topology;
import dev.vpngw.dataplane.admin.AdminServer;
import dev.vpngw.dataplane.admin.GatewayOperations;
import dev.vpngw.dataplane.config.ExcludedConnection;
import dev.vpngw.dataplane.config.GatewayPlan;
import dev.vpngw.dataplane.config.GatewayPlanException;
import dev.vpngw.dataplane.config.GatewayPlanner;
import dev.vpngw.dataplane.config.PlanDiff;
import dev.vpngw.dataplane.status.InstanceStatus;
import dev.vpngw.dataplane.status.StatusAggregator;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway instance: loads and plans the manifests, starts the engines and the admin
 * endpoint, reloads on request (admin {@code /v1/reload}, SIGHUP, or a change of the manifest
 * files) by re-planning and handing only the difference to the engines, and shuts down cleanly.
 * A reload that fails (bad YAML, gateway now invalid) keeps the running plan and shows the error
 * in status warnings.
 */
public final class GatewayRuntime implements GatewayOperations, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayRuntime.class);

  private final RunOptions options;
  private final GatewayEngines engines;
  private final Clock clock;
  private final Instant startedAt;
  private final StatusAggregator aggregator = new StatusAggregator();
  private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics jvmGc = new JvmGcMetrics();
  private final AdminServer admin;
  private final ScheduledExecutorService watcher;
  private final Object reloadLock = new Object();
  private final Object closeLock = new Object();
  private volatile GatewayPlan plan;
  private volatile String reloadError;
  private volatile String fingerprint;
  /** The operator's {@code .revision} next to the manifests, of the plan running now (null standalone). */
  private volatile String revision;
  private volatile boolean started;
  private volatile boolean closed;

  private GatewayRuntime(RunOptions options, GatewayEngines engines, Clock clock, GatewayPlan plan) throws IOException {
    this.options = options;
    this.engines = engines;
    this.clock = clock;
    this.startedAt = clock.instant();
    this.plan = plan;
    this.fingerprint = ManifestFingerprint.of(options.manifests());
    this.revision = revisionOf(options.manifests());
    Gauge.builder("vpngw_connections_planned", () -> this.plan.connections().size()).register(metrics);
    Gauge.builder("vpngw_connections_excluded", () -> this.plan.excluded().size()).register(metrics);
    Gauge.builder("vpngw_tunnels_planned", () -> this.plan.tunnels().size()).register(metrics);
    // The JVM's own meters (heap/non-heap by pool, GC, threads): memory under load, e.g. a flood of
    // IKE_SA_INIT, is read from here rather than guessed from the outside.
    new JvmMemoryMetrics().bindTo(metrics);
    jvmGc.bindTo(metrics);
    new JvmThreadMetrics().bindTo(metrics);
    engines.bindMetrics(metrics);
    this.admin = new AdminServer(new AdminServer.Config(options.admin(), options.tokenFile()), this::status,
        () -> started && !closed && engines.ready(), metrics, this, engines::bgpDetail);
    this.watcher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("vpngw-reload").factory());
  }

  /**
   * Loads, plans and starts. Manifest errors and gateway-level problems throw before anything
   * listens; excluded connections are logged and shown in status.
   */
  public static GatewayRuntime start(RunOptions options, GatewayEngines engines, Clock clock)
      throws ManifestException, GatewayPlanException, Exception {
    return start(options, engines, clock, load(options));
  }

  /**
   * Starts with a plan built elsewhere (the scale benchmark's generated plan); a reload re-plans
   * from {@code options.manifests()} as usual.
   */
  public static GatewayRuntime start(RunOptions options, GatewayEngines engines, Clock clock, GatewayPlan plan)
      throws Exception {
    for (ExcludedConnection x : plan.excluded()) {
      LOG.warn("connection {} will not run: {}: {}", x.name(), x.reason(), x.message());
    }
    var runtime = new GatewayRuntime(options, engines, clock, plan);
    try {
      // Admin first: /healthz answers while the engines come up, /readyz waits for them.
      runtime.admin.start();
      engines.start(plan);
      runtime.started = true;
      // Lowest priority: the IKE warm-up and real peers come first; this only shortens the first reload.
      Thread.ofPlatform().daemon().name("reload-warmup").priority(Thread.MIN_PRIORITY)
          .start(() -> ReloadWarmup.run(40, java.time.Duration.ofSeconds(5)));
    } catch (Exception e) {
      runtime.close();
      throw e;
    }
    if (!options.reloadInterval().isZero()) {
      long ms = options.reloadInterval().toMillis();
      runtime.watcher.scheduleWithFixedDelay(runtime::reloadIfChanged, ms, ms, TimeUnit.MILLISECONDS);
    }
    LOG.info("gateway {}/{} instance {} ({}) running {} connections with {} engines", plan.gateway().namespace(),
        plan.gateway().name(), plan.gateway().instance(), plan.gateway().role(), plan.connections().size(), engines.name());
    return runtime;
  }

  private static GatewayPlan load(RunOptions o) throws ManifestException, GatewayPlanException {
    ManifestSet m = ManifestSet.load(Topology.DEFAULT_NAMESPACE, o.manifests());
    return GatewayPlanner.plan(m, new GatewayPlanner.Request(o.gateway(), o.instance(), o.localAddress()));
  }

  /** The {@code .revision} file the operator mounts beside the manifests, if any. */
  static String revisionOf(List<java.nio.file.Path> manifests) {
    for (java.nio.file.Path p : manifests) {
      java.nio.file.Path dir = java.nio.file.Files.isDirectory(p) ? p : p.toAbsolutePath().getParent();
      java.nio.file.Path f = dir == null ? null : dir.resolve(".revision");
      if (f != null && java.nio.file.Files.isRegularFile(f)) {
        try {
          return java.nio.file.Files.readString(f).strip();
        } catch (java.io.IOException e) {
          LOG.warn("cannot read {}: {}", f, e.toString());
        }
      }
    }
    return null;
  }

  public GatewayPlan plan() {
    return plan;
  }

  public InetSocketAddress adminAddress() {
    return admin.address();
  }

  public InstanceStatus status() {
    InstanceStatus s = aggregator.aggregate(plan, engines.name(), startedAt, engines.state(), clock.instant())
        .withConfigRevision(revision);
    String error = reloadError;
    if (error == null) {
      return s;
    }
    var warnings = new ArrayList<>(s.warnings());
    warnings.add("last reload failed, still running the previous manifests: " + error);
    return new InstanceStatus(s.gateway(), s.instance(), s.role(), s.engine(), s.startedAt(), s.connections(),
        s.bgpPeers(), s.learnedRoutes(), s.drops(), warnings, s.configRevision(), s.childSas());
  }

  private void reloadIfChanged() {
    try {
      String now = ManifestFingerprint.of(options.manifests());
      if (!now.equals(fingerprint)) {
        LOG.info("manifests changed on disk, reloading");
        reload();
      }
    } catch (RuntimeException e) {
      LOG.warn("manifest watch failed", e);
    }
  }

  /** Re-reads the manifests and applies the difference; returns what happened. */
  @Override
  public String reload() {
    synchronized (reloadLock) {
      if (closed) {
        return "shutting down";
      }
      long t0 = System.nanoTime();
      String before = ManifestFingerprint.of(options.manifests());
      GatewayPlan next;
      try {
        next = load(options);
      } catch (ManifestException | GatewayPlanException e) {
        fingerprint = before; // do not retry the same broken content every tick
        reloadError = e.getMessage();
        LOG.error("reload failed, keeping the running plan:\n{}", e.getMessage());
        return "reload failed, keeping the running plan: " + e.getMessage();
      }
      PlanDiff diff = GatewayPlan.diff(plan, next);
      fingerprint = before;
      reloadError = null;
      if (diff.isEmpty() && next.excluded().equals(plan.excluded())) {
        plan = next;
        revision = revisionOf(options.manifests());
        return "no changes";
      }
      long t1 = System.nanoTime();
      engines.apply(next, diff);
      long t2 = System.nanoTime();
      plan = next;
      revision = revisionOf(options.manifests());
      for (ExcludedConnection x : next.excluded()) {
        LOG.warn("connection {} will not run: {}: {}", x.name(), x.reason(), x.message());
      }
      LOG.info("reloaded in {} ms (manifests and plan {} ms, engines {} ms): {}", (t2 - t0) / 1_000_000,
          (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, diff);
      return "reloaded: " + diff;
    }
  }

  @Override
  public String resetConnection(String connection) {
    return engines.resetConnection(connection);
  }

  @Override
  public String resetGateway() {
    return engines.resetGateway();
  }

  @Override
  public String rekey(String connection, boolean ike) {
    return engines.rekey(connection, ike);
  }

  @Override
  public String bgpRefresh(String peer, boolean in, boolean out) {
    return engines.bgpRefresh(peer, in, out);
  }

  /**
   * Stops engines (peers are told), then the admin endpoint. Idempotent; a second caller waits
   * until the first has finished, so a shutdown hook that calls it cannot let the JVM halt mid-stop.
   */
  @Override
  public void close() {
    synchronized (closeLock) {
      synchronized (reloadLock) {
        if (closed) {
          return;
        }
        closed = true;
      }
      watcher.shutdownNow();
      try {
        engines.stop();
      } catch (RuntimeException e) {
        LOG.warn("stopping engines failed", e);
      }
      admin.close();
      jvmGc.close();
      metrics.close();
      LOG.info("gateway instance stopped");
    }
  }

  /** Names of the connections currently running, for logs and tests. */
  public List<String> runningConnections() {
    return plan.connections().stream().map(c -> c.name()).toList();
  }
}
