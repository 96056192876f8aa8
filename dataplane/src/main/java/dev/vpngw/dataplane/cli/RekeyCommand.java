package dev.vpngw.dataplane.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rekey", mixinStandardHelpOptions = true,
    description = "Rekey a connection's child SAs now (with --ike also its IKE SA).")
final class RekeyCommand extends OperationCommand {
  @Parameters(index = "0", paramLabel = "CONNECTION", description = "Connection name.")
  String connection;

  @Option(names = "--ike", description = "Rekey the IKE SA too.")
  boolean ike;

  @Override
  String path() {
    return "v1/connections/" + segment(connection) + "/rekey" + (ike ? "?sa=ike" : "");
  }
}
