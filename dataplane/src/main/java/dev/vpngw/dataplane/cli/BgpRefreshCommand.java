package dev.vpngw.dataplane.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bgp-refresh", mixinStandardHelpOptions = true,
    description = "BGP route refresh without resetting sessions: 'in' asks the peer to resend its routes (RFC 2918"
        + " ROUTE-REFRESH), 'out' re-sends ours, 'both' does both.")
final class BgpRefreshCommand extends OperationCommand {
  enum Direction { in, out, both }

  @Option(names = "--peer", paramLabel = "IP", description = "BGP neighbour address (default: every peer of the instance).")
  String peer;

  @Option(names = "--direction", defaultValue = "in", paramLabel = "in|out|both", description = "Default: ${DEFAULT-VALUE}.")
  Direction direction;

  @Override
  String path() {
    return "v1/bgp/refresh?direction=" + direction + (peer == null ? "" : "&peer=" + segment(peer));
  }
}
