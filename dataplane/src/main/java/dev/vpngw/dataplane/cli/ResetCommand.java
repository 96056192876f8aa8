package dev.vpngw.dataplane.cli;

import picocli.CommandLine.Command;

@Command(name = "reset", mixinStandardHelpOptions = true,
    description = "Re-negotiate every connection of the instance (Azure: reset gateway, per instance).")
final class ResetCommand extends OperationCommand {
  @Override
  String path() {
    return "v1/reset";
  }
}
