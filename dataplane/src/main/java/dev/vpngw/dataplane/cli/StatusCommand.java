package dev.vpngw.dataplane.cli;

import dev.vpngw.dataplane.status.InstanceStatus;
import dev.vpngw.dataplane.status.StatusJson;
import dev.vpngw.dataplane.status.StatusTable;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show the tunnels and BGP peers of running instances (from their admin endpoints).")
final class StatusCommand implements Callable<Integer> {
  @Option(names = "--admin", defaultValue = "http://127.0.0.1:9090", paramLabel = "URL",
      description = "Admin endpoint of an instance; repeat to show both instances of a gateway in one table (default: ${DEFAULT-VALUE}).")
  List<String> admins;

  @Option(names = "--json", description = "Print the raw /status JSON (one document per instance).")
  boolean json;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    var statuses = new ArrayList<InstanceStatus>();
    var bodies = new ArrayList<String>();
    for (String admin : admins) {
      AdminClient.Reply r;
      try {
        r = new AdminClient(admin).get("status");
      } catch (AdminClient.Unreachable e) {
        err.println(e.getMessage());
        return ExitCodes.UNREACHABLE;
      }
      if (!r.ok()) {
        err.print("HTTP " + r.code() + " from " + admin + ": " + r.body());
        err.flush();
        return ExitCodes.FAILED;
      }
      bodies.add(r.body().endsWith("\n") ? r.body() : r.body() + "\n");
      statuses.add(StatusJson.read(r.body()));
    }
    if (json) {
      bodies.forEach(out::print);
    } else {
      out.print(StatusTable.render(statuses));
    }
    out.flush();
    return ExitCodes.OK;
  }
}
