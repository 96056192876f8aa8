package dev.vpngw.dataplane.routing;

import dev.vpngw.dataplane.net.ErrnoNames;
import dev.vpngw.dataplane.net.RtNetlink;
import dev.vpngw.dataplane.net.RtRoute;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Mirrors forwarding changes into the kernel's main table over rtnetlink: the same routes
 * {@link IpRouteProgrammer} asks {@code ip} for ("replace PREFIX dev D", multipath for ECMP sets,
 * "del PREFIX"), without a process per batch — a batch of 10,000 routes is about ten writes on one
 * socket. Runs on its own thread so the control loop never waits for the kernel; batches are applied
 * in order. Deleting a route that is already gone is not an error (as {@code ip -force} treated it).
 */
public final class NetlinkRouteProgrammer extends OrderedRouteProgrammer {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NetlinkRouteProgrammer.class);
  private static final int ESRCH = 3;
  private static final int ENODEV = 19;
  private static final int WARM_UP_ROUNDS = 200;
  private final RtNetlink netlink;

  /**
   * @param netns         namespace to program (the socket is opened inside it), or null for the current one
   * @param deviceForSlot tunnel slot → device name (e.g. "vti3"); null if the slot has no device
   * @throws IllegalStateException when no rtnetlink socket can be opened
   */
  public NetlinkRouteProgrammer(String netns, IntFunction<String> deviceForSlot) {
    super("netlink-route-programmer", deviceForSlot);
    this.netlink = RtNetlink.openIn(netns);
    runFirst(this::warmUp);
  }

  /**
   * Takes the whole path (translation, a write, an error reply and its parsing) through class
   * loading and the first compilation before the first real route: cold, the first route of a new
   * tunnel took 16 ms here instead of tens of microseconds. The requests name an interface index
   * that cannot exist, so the kernel refuses them (ENODEV) before touching any table.
   */
  private void warmUp() {
    try {
      netlink.linkIndex("lo");
      Ipv4Prefix p = Ipv4Prefix.parse("192.0.2.0/24");
      List<RtRoute> impossible = List.of(RtRoute.replace(p.address(), p.length(), RtRoute.TABLE_MAIN, Integer.MAX_VALUE));
      for (int i = 0; i < WARM_UP_ROUNDS; i++) {
        List<RtNetlink.Failure> f = netlink.apply(impossible);
        if (f.size() != 1 || f.getFirst().errno() != ENODEV) {
          LOG.debug("netlink warm-up: unexpected answer {}", f);
          return;
        }
      }
    } catch (RuntimeException e) {
      LOG.debug("netlink warm-up failed: {}", e.toString());
    }
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
      List<String> devs = devicesOf(c);
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

  @Override
  void applyNow(List<Change> batch) {
    long start = System.nanoTime();
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
        String error = "rtnetlink: " + errors.size() + " of " + batch.size() + " route change(s) failed, first: "
            + errors.getFirst();
        failed(error);
        LOG.warn(error);
      }
    } catch (RuntimeException e) {
      String error = "rtnetlink: " + e.getMessage();
      failed(error);
      LOG.warn(error);
    }
    LOG.debug("{} route change(s) applied in {} µs", batch.size(), (System.nanoTime() - start) / 1000);
  }

  @Override
  public void close() {
    super.close();
    netlink.close();
  }
}
