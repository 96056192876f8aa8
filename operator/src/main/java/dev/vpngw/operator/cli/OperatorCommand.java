package dev.vpngw.operator.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code run} (the operator) and {@code render} (offline preview). */
@Command(name = "vpngw-operator", mixinStandardHelpOptions = true, version = "vpngw-operator 0.1.0",
    subcommands = {RunCommand.class, RenderCommand.class},
    description = "Runs VirtualNetworkGateways on Kubernetes as pairs of IPsec gateway pods.")
public final class OperatorCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new OperatorCommand()).execute(args));
  }
}
