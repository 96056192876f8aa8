package dev.vpngw.dataplane.routing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Mirrors forwarding changes into the kernel with {@code ip -batch -}: one process per batch, so
 * 10,000 routes cost one fork, not 10,000. Runs on its own thread so the control loop never waits
 * for iproute2; batches are applied in order. ECMP sets become multipath routes.
 */
public final class IpRouteProgrammer extends OrderedRouteProgrammer {
  private static final System.Logger LOG = System.getLogger(IpRouteProgrammer.class.getName());
  private final List<String> ipCommand;

  /**
   * @param netns         namespace to program ({@code ip -n}), or null for the current one
   * @param deviceForSlot tunnel slot → device name (e.g. "vti3"); null if the slot has no device
   */
  public IpRouteProgrammer(String netns, IntFunction<String> deviceForSlot) {
    super("ip-route-programmer", deviceForSlot);
    this.ipCommand = netns == null ? List.of("ip", "-batch", "-") : List.of("ip", "-n", netns, "-force", "-batch", "-");
  }

  /** The lines fed to {@code ip -batch}; public for tests and logs. */
  public List<String> commands(List<Change> batch) {
    List<String> lines = new ArrayList<>(batch.size());
    for (Change c : batch) {
      List<String> devs = devicesOf(c);
      if (devs.isEmpty()) {
        lines.add("route del " + c.prefix());
      } else if (devs.size() == 1) {
        lines.add("route replace " + c.prefix() + " dev " + devs.getFirst());
      } else {
        StringBuilder b = new StringBuilder("route replace ").append(c.prefix());
        devs.forEach(d -> b.append(" nexthop dev ").append(d));
        lines.add(b.toString());
      }
    }
    return lines;
  }

  @Override
  void applyNow(List<Change> batch) {
    List<String> lines = commands(batch);
    List<String> cmd = new ArrayList<>(ipCommand);
    if (!cmd.contains("-force")) {
      cmd.add(1, "-force"); // keep going past a "route del" of a route that is already gone
    }
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      try (OutputStream in = p.getOutputStream()) {
        in.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        failed("ip -batch timed out");
      } else if (p.exitValue() != 0 && !onlyMissingDeletes(out)) {
        String error = "ip -batch exited " + p.exitValue() + ": " + out.strip();
        failed(error);
        LOG.log(System.Logger.Level.WARNING, error);
      }
    } catch (IOException e) {
      String error = "cannot run ip: " + e.getMessage();
      failed(error);
      LOG.log(System.Logger.Level.WARNING, error);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean onlyMissingDeletes(String output) {
    return output.lines().filter(l -> !l.isBlank()).allMatch(l -> l.contains("No such process") || l.startsWith("Command failed"));
  }
}
