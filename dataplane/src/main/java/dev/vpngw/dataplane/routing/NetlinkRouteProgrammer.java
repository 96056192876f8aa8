package dev.vpngw.dataplane.routing;

import dev.vpngw.dataplane.net.ErrnoNames;
import dev.vpngw.dataplane.net.RtNetlink;
import dev.vpngw.dataplane.net.RtRoute;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Mirrors forwarding changes into the kernel's main table over rtnetlink: the same routes
 * {@link IpRouteProgrammer} asks {@code ip} for ("replace PREFIX dev D", multipath for ECMP sets,
 * "del PREFIX"), without a process per batch — a batch of 10,000 routes is about ten writes on one
 * socket. Runs on its own thread so the control loop never waits for the kernel; batches are applied
 * in order. Deleting a route that is already gone is not an error (as {@code ip -force} treated it).
 */
public final class NetlinkRouteProgrammer implements KernelRouteProgrammer {
  private static final System.Logger LOG = System.getLogger(NetlinkRouteProgrammer.class.getName());
  private static final int ESRCH = 3;
  private final RtNetlink netlink;
  private final IntFunction<String> deviceForSlot;
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "netlink-route-programmer");
    t.setDaemon(true);
    return t;
  });
  private volatile String lastError;
  private volatile long appliedBatches;

  /**
   * @param netns         namespace to program (the socket is opened inside it), or null for the current one
   * @param deviceForSlot tunnel slot → device name (e.g. "vti3"); null if the slot has no device
   * @throws IllegalStateException when no rtnetlink socket can be opened
   */
  public NetlinkRouteProgrammer(String netns, IntFunction<String> deviceForSlot) {
    this.netlink = RtNetlink.openIn(netns);
    this.deviceForSlot = deviceForSlot;
  }

  @Override
  public void apply(List<Change> batch) {
    List<Change> copy = List.copyOf(batch);
    worker.execute(() -> run(copy));
  }

  /** A route change as netlink sends it, and how it reads in the log. */
  record Request(RtRoute route, String text) {}

  /**
   * Translates a batch; devices are resolved with {@code ifindex}. A change whose device cannot be
   * resolved is left out and described in {@code errors}; the rest of the batch still goes in.
   */
  List<Request> requests(List<Change> batch, java.util.function.ToIntFunction<String> ifindex, List<String> errors) {
    List<Request> out = new ArrayList<>(batch.size());
    for (Change c : batch) {
      List<String> devs = new ArrayList<>();
      for (int s : c.slots()) {
        String d = deviceForSlot.apply(s);
        if (d != null) {
          devs.add(d);
        }
      }
      Ipv4Prefix p = c.prefix();
      if (devs.isEmpty()) {
        out.add(new Request(RtRoute.remove(p.address(), p.length(), RtRoute.TABLE_MAIN), "route del " + p));
      } else {
        String text = devs.size() == 1 ? "route replace " + p + " dev " + devs.getFirst()
            : "route replace " + p + " nexthop dev " + String.join(" nexthop dev ", devs);
        try {
          int[] idx = devs.stream().mapToInt(ifindex).toArray();
          out.add(new Request(RtRoute.replace(p.address(), p.length(), RtRoute.TABLE_MAIN, idx), text));
        } catch (IllegalArgumentException e) {
          errors.add(text + ": " + e.getMessage());
        }
      }
    }
    return out;
  }

  private void run(List<Change> batch) {
    try {
      // Indexes are looked up per batch: a device re-created since the last batch gets its new one.
      Map<String, Integer> indexes = new HashMap<>();
      List<String> errors = new ArrayList<>();
      List<Request> requests = requests(batch, d -> indexes.computeIfAbsent(d, netlink::linkIndex), errors);
      List<RtNetlink.Failure> failures = netlink.apply(requests.stream().map(Request::route).toList());
      for (RtNetlink.Failure f : failures) {
        if (f.route().delete() && f.errno() == ESRCH) {
          continue;
        }
        String text = requests.stream().filter(r -> r.route() == f.route()).map(Request::text).findFirst()
            .orElse(f.route().toString());
        errors.add(text + ": " + ErrnoNames.describe(f.errno()) + (f.kernelMessage().isEmpty() ? "" : ": " + f.kernelMessage()));
      }
      if (!errors.isEmpty()) {
        lastError = "rtnetlink: " + errors.size() + " of " + batch.size() + " route change(s) failed, first: "
            + errors.getFirst();
        LOG.log(System.Logger.Level.WARNING, lastError);
      }
    } catch (RuntimeException e) {
      lastError = "rtnetlink: " + e.getMessage();
      LOG.log(System.Logger.Level.WARNING, lastError);
    }
    appliedBatches++;
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
    try {
      worker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    netlink.close();
  }
}
