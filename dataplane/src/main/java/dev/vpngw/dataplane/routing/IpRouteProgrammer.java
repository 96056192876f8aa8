package dev.vpngw.dataplane.routing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Mirrors forwarding changes into the kernel with {@code ip -batch -}: one process per batch, so
 * 10,000 routes cost one fork, not 10,000. Runs on its own thread so the control loop never waits
 * for iproute2; batches are applied in order. ECMP sets become multipath routes.
 */
public final class IpRouteProgrammer implements KernelRouteProgrammer {
  private static final System.Logger LOG = System.getLogger(IpRouteProgrammer.class.getName());
  private final List<String> ipCommand;
  private final IntFunction<String> deviceForSlot;
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "ip-route-programmer");
    t.setDaemon(true);
    return t;
  });
  private volatile String lastError;
  private volatile long appliedBatches;

  /**
   * @param netns         namespace to program ({@code ip -n}), or null for the current one
   * @param deviceForSlot tunnel slot → device name (e.g. "vti3"); null if the slot has no device
   */
  public IpRouteProgrammer(String netns, IntFunction<String> deviceForSlot) {
    this.ipCommand = netns == null ? List.of("ip", "-batch", "-") : List.of("ip", "-n", netns, "-force", "-batch", "-");
    this.deviceForSlot = deviceForSlot;
  }

  @Override
  public void apply(List<Change> batch) {
    List<Change> copy = List.copyOf(batch);
    worker.execute(() -> run(copy));
  }

  /** The lines fed to {@code ip -batch}; public for tests and logs. */
  public List<String> commands(List<Change> batch) {
    List<String> lines = new ArrayList<>(batch.size());
    for (Change c : batch) {
      List<String> devs = new ArrayList<>();
      for (int s : c.slots()) {
        String d = deviceForSlot.apply(s);
        if (d != null) {
          devs.add(d);
        }
      }
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

  private void run(List<Change> batch) {
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
        lastError = "ip -batch timed out";
      } else if (p.exitValue() != 0 && !onlyMissingDeletes(out)) {
        lastError = "ip -batch exited " + p.exitValue() + ": " + out.strip();
        LOG.log(System.Logger.Level.WARNING, lastError);
      }
    } catch (IOException e) {
      lastError = "cannot run ip: " + e.getMessage();
      LOG.log(System.Logger.Level.WARNING, lastError);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    appliedBatches++;
  }

  private static boolean onlyMissingDeletes(String output) {
    return output.lines().filter(l -> !l.isBlank()).allMatch(l -> l.contains("No such process") || l.startsWith("Command failed"));
  }

  @Override
  public void awaitIdle(long timeoutMillis) throws InterruptedException {
    var f = worker.submit(() -> { });
    try {
      f.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("route programmer did not drain", e);
    }
  }

  @Override
  public String lastError() {
    return lastError;
  }

  @Override
  public long appliedBatches() {
    return appliedBatches;
  }

  @Override
  public void close() {
    worker.shutdown();
  }
}
