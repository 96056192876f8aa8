package dev.vpngw.dataplane.cli;

import dev.vpngw.crds.ManifestException;
import dev.vpngw.crds.ManifestSet;
import dev.vpngw.crds.validation.Topology;
import dev.vpngw.dataplane.config.GatewayPlan;
import dev.vpngw.dataplane.config.GatewayPlanException;
import dev.vpngw.dataplane.config.GatewayPlanner;
import dev.vpngw.dataplane.config.PlanFormat;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "plan", mixinStandardHelpOptions = true,
    description = "Print what an instance would run for the given manifests (pre-shared keys masked).")
final class PlanCommand implements Callable<Integer> {
  enum Format { yaml, json }

  @Option(names = {"-f", "--manifests"}, required = true, arity = "1..*", paramLabel = "PATH",
      description = "Manifest files or directories (YAML, '---' separated; Secrets included).")
  List<Path> manifests;

  @Option(names = "--gateway", paramLabel = "NAME", description = "VirtualNetworkGateway name (or namespace/name); needed when the manifests define several.")
  String gateway;

  @Option(names = "--instance", defaultValue = "0", paramLabel = "0|1", description = "Gateway instance (default: ${DEFAULT-VALUE}).")
  int instance;

  @Option(names = "--local-address", paramLabel = "IP", description = "Address IKE/ESP bind to instead of the instance's publicIpAddress.")
  String localAddress;

  @Option(names = {"-o", "--output"}, defaultValue = "yaml", description = "yaml or json (default: ${DEFAULT-VALUE}).")
  Format format;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    GatewayPlan plan;
    try {
      plan = GatewayPlanner.plan(ManifestSet.load(Topology.DEFAULT_NAMESPACE, manifests),
          new GatewayPlanner.Request(gateway, instance, localAddress));
    } catch (ManifestException e) {
      spec.commandLine().getErr().println("invalid manifests:\n" + e.getMessage());
      return ExitCodes.INVALID_CONFIG;
    } catch (GatewayPlanException e) {
      spec.commandLine().getErr().println("the gateway cannot run:\n" + e.getMessage());
      return ExitCodes.INVALID_CONFIG;
    }
    spec.commandLine().getOut().print(format == Format.json ? PlanFormat.json(plan) : PlanFormat.yaml(plan));
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
