package dev.vpngw.dataplane.routing;

import java.util.List;

/**
 * Receives forwarding changes in batches so they can be mirrored into the kernel (routes to the
 * TUN devices). Called on the control loop; implementations must not block it for long.
 */
public interface KernelRouteListener {
  /** {@code slots} empty means delete (or local: the kernel route is removed as well). */
  record Change(Ipv4Prefix prefix, int[] slots) {
    public boolean isDelete() {
      return slots.length == 0;
    }
  }

  void apply(List<Change> batch);
}
