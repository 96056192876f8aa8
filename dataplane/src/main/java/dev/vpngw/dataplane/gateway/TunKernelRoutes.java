package dev.vpngw.dataplane.gateway;

import dev.vpngw.dataplane.routing.KernelRouteProgrammer;
import dev.vpngw.dataplane.routing.Ipv4Prefix;
import dev.vpngw.dataplane.routing.KernelRouteListener;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Mirrors tunnel routes into the kernel as routes into the one TUN device. ECMP between tunnels is
 * done by the ESP path (per-flow hash over the FIB), so the kernel only needs "prefix dev tun".
 * Deletes are passed on only for prefixes this instance installed: the gateway's own addressSpace
 * (selected with no tunnel) must never remove the kernel's route towards the virtual network.
 */
final class TunKernelRoutes implements KernelRouteListener {
  private static final int[] TUN = {0};
  private final KernelRouteProgrammer programmer;
  private final Set<Ipv4Prefix> installed = new HashSet<>();

  TunKernelRoutes(String tunName) {
    this.programmer = KernelRouteProgrammer.open(null, slot -> tunName);
  }

  @Override
  public void apply(List<Change> batch) {
    List<Change> out = new ArrayList<>(batch.size());
    for (Change c : batch) {
      if (!c.isDelete()) {
        installed.add(c.prefix());
        out.add(new Change(c.prefix(), TUN));
      } else if (installed.remove(c.prefix())) {
        out.add(c);
      }
    }
    if (!out.isEmpty()) {
      programmer.apply(out);
    }
  }

  String lastError() {
    return programmer.lastError();
  }

  void close() {
    programmer.close();
  }
}
