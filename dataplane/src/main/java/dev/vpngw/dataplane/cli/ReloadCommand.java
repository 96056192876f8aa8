package dev.vpngw.dataplane.cli;

import picocli.CommandLine.Command;

@Command(name = "reload", mixinStandardHelpOptions = true,
    description = "Re-read the manifests; only connections whose inputs changed are re-negotiated.")
final class ReloadCommand extends OperationCommand {
  @Override
  String path() {
    return "v1/reload";
  }
}
