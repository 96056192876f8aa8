package dev.vpngw.dataplane.cli;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** An admin operation: one authenticated POST, its answer printed. */
abstract class OperationCommand implements Callable<Integer> {
  @Mixin
  AdminOptions adminOptions;

  @Spec
  CommandSpec spec;

  /** Path under the admin base, e.g. "v1/reload". */
  abstract String path();

  static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (adminOptions.tokenFile == null) {
      err.println("operations need the admin token: pass --admin-token-file FILE (or set VPNGW_ADMIN_TOKEN_FILE)");
      return ExitCodes.USAGE;
    }
    var client = new AdminClient(adminOptions.admin);
    AdminClient.Reply r;
    try {
      r = client.post(path(), adminOptions.tokenFile);
    } catch (AdminClient.Unreachable e) {
      err.println(e.getMessage());
      return ExitCodes.UNREACHABLE;
    } catch (java.nio.file.NoSuchFileException e) {
      err.println("--admin-token-file: " + e.getFile() + " does not exist");
      return ExitCodes.USAGE;
    }
    if (r.ok()) {
      out.print(r.body());
      out.flush();
      return ExitCodes.OK;
    }
    err.print("HTTP " + r.code() + ": " + r.body());
    err.flush();
    return ExitCodes.FAILED;
  }
}
