package dev.vpngw.dataplane.routeagent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The node route agent (docs/cluster-traffic.md): steers traffic for the sites' prefixes to the
 * active gateway pods. It owns one routing table; for every prefix it keeps a policy rule
 * {@code to PREFIX lookup TABLE} and, in the table, a route via the gateway pods (ECMP when both
 * instances are active). With no gateway pod ready the route becomes {@code unreachable}, so site
 * traffic is refused at the node instead of leaking out of the default route. Reconciling is
 * idempotent: what is in the kernel is read back ({@code ip -j}) and only the difference applied.
 */
public final class RouteAgent {
  static final int RULE_PRIORITY = 4500;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String netns;

  /** {@code netns} null programs the agent's own network namespace (the node's, in a DaemonSet pod). */
  public RouteAgent(String netns) {
    this.netns = netns;
  }

  /** The {@code ip -batch} lines that move the kernel from {@code current} to {@code desired}. */
  static List<String> plan(RouteAgentConfig desired, Set<String> currentRoutes, Set<String> currentRules) {
    List<String> lines = new ArrayList<>();
    Set<String> want = new LinkedHashSet<>(desired.prefixes());
    for (String p : want) {
      StringBuilder r = new StringBuilder("route replace ");
      if (desired.nextHops().isEmpty()) {
        r.append("unreachable ").append(p).append(" table ").append(desired.table());
      } else if (desired.nextHops().size() == 1) {
        r.append(p).append(" table ").append(desired.table()).append(" via ").append(desired.nextHops().getFirst());
      } else {
        r.append(p).append(" table ").append(desired.table());
        desired.nextHops().forEach(h -> r.append(" nexthop via ").append(h));
      }
      lines.add(r.toString());
      if (!currentRules.contains(p)) {
        lines.add("rule add to " + p + " lookup " + desired.table() + " priority " + RULE_PRIORITY);
      }
    }
    for (String p : currentRoutes) {
      if (!want.contains(p)) {
        lines.add("route del " + p + " table " + desired.table());
      }
    }
    for (String p : currentRules) {
      if (!want.contains(p)) {
        lines.add("rule del to " + p + " lookup " + desired.table() + " priority " + RULE_PRIORITY);
      }
    }
    return lines;
  }

  /** Reads the kernel state, applies the difference; returns the lines applied. */
  public List<String> reconcile(RouteAgentConfig desired) throws IOException {
    Set<String> routes = new LinkedHashSet<>();
    for (JsonNode r : JSON.readTree(routesOf(desired.table()))) {
      String dst = r.path("dst").asText();
      routes.add(dst.contains("/") ? dst : dst + "/32");
    }
    Set<String> rules = new LinkedHashSet<>();
    for (JsonNode r : JSON.readTree(ip("-j", "rule", "show"))) {
      if (r.path("priority").asInt() == RULE_PRIORITY && r.path("table").asText().equals(Integer.toString(desired.table()))
          && r.has("dst")) {
        String dst = r.path("dst").asText();
        rules.add(dst + "/" + r.path("dstlen").asInt(32));
      }
    }
    List<String> lines = plan(desired, routes, rules);
    if (!lines.isEmpty()) {
      batch(lines);
    }
    return lines;
  }

  /** The table's routes as JSON; a table nothing was ever added to does not exist yet: empty. */
  private String routesOf(int table) throws IOException {
    try {
      return ip("-j", "route", "show", "table", Integer.toString(table));
    } catch (IOException e) {
      if (String.valueOf(e.getMessage()).contains("FIB table does not exist")) {
        return "[]";
      }
      throw e;
    }
  }

  private List<String> ipCommand(String... args) {
    List<String> cmd = new ArrayList<>(List.of("ip"));
    if (netns != null) {
      cmd.addAll(List.of("-n", netns));
    }
    cmd.addAll(List.of(args));
    return cmd;
  }

  private String ip(String... args) throws IOException {
    Process p = new ProcessBuilder(ipCommand(args)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    await(p, "ip " + String.join(" ", args), out);
    return out.isBlank() ? "[]" : out;
  }

  private void batch(List<String> lines) throws IOException {
    Process p = new ProcessBuilder(ipCommand("-batch", "-")).redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    await(p, "ip -batch", out + " (lines: " + lines + ")");
  }

  private static void await(Process p, String what, String out) throws IOException {
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(what + " failed: " + out.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + what, e);
    }
  }
}
