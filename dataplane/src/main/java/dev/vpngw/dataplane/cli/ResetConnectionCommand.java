package dev.vpngw.dataplane.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "reset-connection", mixinStandardHelpOptions = true,
    description = "Tear down and re-negotiate one connection (Azure: reset connection); other tunnels are untouched.")
final class ResetConnectionCommand extends OperationCommand {
  @Parameters(index = "0", paramLabel = "CONNECTION", description = "Connection name.")
  String connection;

  @Override
  String path() {
    return "v1/connections/" + segment(connection) + "/reset";
  }
}
