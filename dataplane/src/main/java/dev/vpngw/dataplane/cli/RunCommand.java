package dev.vpngw.dataplane.cli;

import dev.vpngw.crds.ManifestException;
import dev.vpngw.dataplane.config.ExcludedConnection;
import dev.vpngw.dataplane.config.GatewayPlanException;
import dev.vpngw.dataplane.gateway.GatewayEngines;
import dev.vpngw.dataplane.gateway.GatewayEnginesFactory;
import dev.vpngw.dataplane.gateway.GatewayRuntime;
import dev.vpngw.dataplane.gateway.PlanOnlyEngines;
import dev.vpngw.dataplane.gateway.RunOptions;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run one gateway instance from manifests until SIGTERM; SIGHUP or a change of the files reloads.")
public final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Option(names = {"-f", "--manifests"}, required = true, arity = "1..*", paramLabel = "PATH",
      description = "Manifest files or directories (VirtualNetworkGateway, LocalNetworkGateway, Connection, Secret).")
  List<Path> manifests;

  @Option(names = "--gateway", paramLabel = "NAME", description = "VirtualNetworkGateway name (or namespace/name); needed when the manifests define several.")
  String gateway;

  @Option(names = "--instance", required = true, paramLabel = "0|1", description = "Which instance of the gateway this is.")
  int instance;

  @Option(names = "--local-address", paramLabel = "IP", description = "Address IKE/ESP bind to (e.g. the pod IP); default: the instance's publicIpAddress.")
  String localAddress;

  @Option(names = "--admin-address", defaultValue = "127.0.0.1", paramLabel = "IP", description = "Admin endpoint address (default: ${DEFAULT-VALUE}).")
  String adminAddress;

  @Option(names = "--admin-port", defaultValue = "9090", paramLabel = "PORT", description = "Admin endpoint port, 0 for any free port (default: ${DEFAULT-VALUE}).")
  int adminPort;

  @Option(names = "--admin-token-file", paramLabel = "FILE", description = "Bearer token file enabling admin operations (reset, rekey, reload); without it they are refused.")
  Path tokenFile;

  @Option(names = "--tun", defaultValue = "vpngw0", paramLabel = "NAME", description = "TUN interface name (default: ${DEFAULT-VALUE}).")
  String tun;

  @Option(names = "--reload-interval", defaultValue = "5s", paramLabel = "DURATION",
      description = "How often to check the manifest files for changes, e.g. 5s, 500ms; 0 disables (default: ${DEFAULT-VALUE}).")
  String reloadInterval;

  @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "${env:VPNGW_STATE_DIR}",
      description = "Directory kept across restarts of the process (a pod's emptyDir) for the BGP graceful-restart heartbeat;"
          + " when set, a gateway restarted within the restart time tells its BGP peers so (RFC 4724 Restart State)"
          + " and they keep its routes meanwhile (default: $VPNGW_STATE_DIR, else none).")
  Path stateDir;

  @Option(names = "--engine", paramLabel = "NAME",
      description = "Engines to use: a registered GatewayEnginesFactory name or plan-only (default: the registered one, else plan-only).")
  String engine;

  @Spec
  CommandSpec spec;

  private final CountDownLatch stop = new CountDownLatch(1);
  private volatile GatewayRuntime runtime;

  /** Asks a running {@code run} to shut down (what SIGTERM does); used by tests and embedders. */
  public void requestStop() {
    stop.countDown();
  }

  /** The running runtime, null before start and after stop. */
  public GatewayRuntime runtime() {
    return runtime;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Duration interval;
    try {
      interval = parseDuration(reloadInterval);
    } catch (IllegalArgumentException e) {
      err.println("--reload-interval: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    if (tokenFile != null && !Files.isReadable(tokenFile)) {
      err.println("--admin-token-file: " + tokenFile + " is not a readable file");
      return ExitCodes.USAGE;
    }
    var options = new RunOptions(manifests, gateway, instance, localAddress,
        new InetSocketAddress(InetAddress.getByName(adminAddress), adminPort), Optional.ofNullable(tokenFile), tun,
        interval, Optional.ofNullable(stateDir));
    GatewayEngines engines;
    try {
      engines = engines(options);
    } catch (IllegalArgumentException e) {
      err.println("--engine: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    try {
      runtime = GatewayRuntime.start(options, engines, Clock.systemUTC());
    } catch (ManifestException e) {
      err.println("invalid manifests:\n" + e.getMessage());
      return ExitCodes.INVALID_CONFIG;
    } catch (GatewayPlanException e) {
      err.println("the gateway cannot run:\n" + e.getMessage());
      return ExitCodes.INVALID_CONFIG;
    } catch (Exception e) {
      err.println("the gateway failed to start: " + e);
      LOG.error("start failed", e);
      return ExitCodes.FAILED;
    }
    var plan = runtime.plan();
    out.println("gateway " + plan.gateway().name() + " instance " + plan.gateway().instance() + " ("
        + plan.gateway().role() + ") running " + plan.connections().size() + " connection(s) with " + engines.name()
        + " engines");
    for (ExcludedConnection x : plan.excluded()) {
      out.println("connection " + x.name() + " not running: " + x.reason() + ": " + x.message());
    }
    out.println("admin endpoint listening on http://" + runtime.adminAddress().getHostString() + ":"
        + runtime.adminAddress().getPort());
    out.flush();
    GatewayRuntime running = runtime;
    Thread hook = Thread.ofPlatform().unstarted(() -> {
      requestStop();
      // The JVM halts when hooks return. The main thread may already be closing (and have cleared
      // the field): close() returns only once the stop is complete, whoever does it.
      running.close();
    });
    Runtime.getRuntime().addShutdownHook(hook);
    Signals.onHangup(() -> {
      GatewayRuntime r = runtime;
      if (r != null) {
        LOG.info("SIGHUP: {}", r.reload());
      }
    });
    try {
      stop.await();
    } finally {
      GatewayRuntime r = runtime;
      runtime = null;
      if (r != null) {
        r.close();
      }
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // called from the hook's shutdown: nothing to remove
      }
    }
    out.println("stopped");
    out.flush();
    return ExitCodes.OK;
  }

  private GatewayEngines engines(RunOptions options) {
    List<GatewayEnginesFactory> factories = ServiceLoader.load(GatewayEnginesFactory.class).stream()
        .map(ServiceLoader.Provider::get).toList();
    if (PlanOnlyEngines.NAME.equals(engine)) {
      return new PlanOnlyEngines();
    }
    if (engine != null) {
      return factories.stream().filter(f -> f.name().equals(engine)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no engines named " + engine + "; available: "
              + java.util.stream.Stream.concat(java.util.stream.Stream.of(PlanOnlyEngines.NAME),
                  factories.stream().map(GatewayEnginesFactory::name)).collect(Collectors.joining(", "))))
          .create(options);
    }
    if (factories.isEmpty()) {
      LOG.warn("no engines registered: running plan-only (no tunnels; status says \"{}\")", PlanOnlyEngines.NOT_WIRED);
      return new PlanOnlyEngines();
    }
    return factories.getFirst().create(options);
  }

  static Duration parseDuration(String text) {
    String t = text.strip().toLowerCase(java.util.Locale.ROOT);
    try {
      if (t.equals("0")) {
        return Duration.ZERO;
      }
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      if (t.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
      }
      if (t.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new IllegalArgumentException("'" + text + "' is not a duration like 5s, 500ms or 1m");
  }
}
