package dev.vpngw.dataplane.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the admin endpoint is and the token for operations (shared by the client subcommands). */
final class AdminOptions {
  @Option(names = "--admin", defaultValue = "http://127.0.0.1:9090", paramLabel = "URL",
      description = "Admin endpoint of the gateway instance (default: ${DEFAULT-VALUE}).")
  String admin;

  @Option(names = "--admin-token-file", paramLabel = "FILE", defaultValue = "${env:VPNGW_ADMIN_TOKEN_FILE}",
      description = "File with the bearer token for operations (default: $VPNGW_ADMIN_TOKEN_FILE).")
  Path tokenFile;
}
