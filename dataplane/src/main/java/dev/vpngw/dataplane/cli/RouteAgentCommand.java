package dev.vpngw.dataplane.cli;

import dev.vpngw.dataplane.routeagent.RouteAgent;
import dev.vpngw.dataplane.routeagent.RouteAgentConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "route-agent", mixinStandardHelpOptions = true,
    description = "Keep this node's routes for the sites' prefixes pointed at the active gateway pods"
        + " (the operator's route-agent DaemonSet runs this).")
final class RouteAgentCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RouteAgentCommand.class);

  @Option(names = "--routes", required = true, paramLabel = "FILE", description = "routes.yaml published by the operator.")
  Path routes;

  @Option(names = "--table", paramLabel = "ID", description = "Routing table to own (overrides the file's).")
  Integer table;

  @Option(names = "--netns", paramLabel = "NAME", description = "Program this named network namespace instead of our own.")
  String netns;

  @Option(names = "--interval", defaultValue = "2s", paramLabel = "DURATION", description = "Re-check period (default: ${DEFAULT-VALUE}).")
  String interval;

  @Option(names = "--once", description = "Reconcile once and exit.")
  boolean once;

  @Override
  public Integer call() throws Exception {
    RouteAgent agent = new RouteAgent(netns);
    long sleepMs = Duration.parse("PT" + interval.toUpperCase(java.util.Locale.ROOT)).toMillis();
    String lastError = null;
    while (true) {
      try {
        RouteAgentConfig c = RouteAgentConfig.load(routes);
        if (table != null) {
          c = new RouteAgentConfig(c.gateway(), table, c.prefixes(), c.nextHops());
        }
        var applied = agent.reconcile(c);
        if (!applied.isEmpty()) {
          LOG.info("gateway {}: applied {}", c.gateway(), applied);
        }
        lastError = null;
      } catch (Exception e) {
        // Keep the last good routes: a bad or half-written file must not take the sites away.
        if (!String.valueOf(e.getMessage()).equals(lastError)) {
          LOG.warn("route agent: {} (keeping the routes already installed)", e.getMessage());
        }
        lastError = String.valueOf(e.getMessage());
        if (once) {
          return ExitCodes.FAILED;
        }
      }
      if (once) {
        return ExitCodes.OK;
      }
      Thread.sleep(sleepMs);
    }
  }
}
