package dev.vpngw.dataplane.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rekey", mixinStandardHelpOptions = true,
    description = "Rekey a connection's child SAs now (with --ike its IKE SA instead; the child SAs move to it).")
final class RekeyCommand extends OperationCommand {
  @Parameters(index = "0", paramLabel = "CONNECTION", description = "Connection name.")
  String connection;

  @Option(names = "--ike", description = "Rekey the IKE SA (not the child SAs).")
  boolean ike;

  @Override
  String path() {
    return "v1/connections/" + segment(connection) + "/rekey" + (ike ? "?sa=ike" : "");
  }
}
