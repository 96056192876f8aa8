package dev.vpngw.dataplane.cli;

import dev.vpngw.dataplane.status.InstanceStatus;
import dev.vpngw.dataplane.status.StatusJson;
import dev.vpngw.dataplane.status.StatusTable;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show the tunnels and BGP peers of a running instance (from its admin endpoint).")
final class StatusCommand implements Callable<Integer> {
  @Mixin
  AdminOptions adminOptions;

  @Option(names = "--json", description = "Print the raw /status JSON.")
  boolean json;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    AdminClient.Reply r;
    try {
      r = new AdminClient(adminOptions.admin).get("status");
    } catch (AdminClient.Unreachable e) {
      err.println(e.getMessage());
      return ExitCodes.UNREACHABLE;
    }
    if (!r.ok()) {
      err.print("HTTP " + r.code() + ": " + r.body());
      err.flush();
      return ExitCodes.FAILED;
    }
    if (json) {
      out.print(r.body().endsWith("\n") ? r.body() : r.body() + "\n");
    } else {
      InstanceStatus s = StatusJson.read(r.body());
      out.print(StatusTable.render(s));
    }
    out.flush();
    return ExitCodes.OK;
  }
}
