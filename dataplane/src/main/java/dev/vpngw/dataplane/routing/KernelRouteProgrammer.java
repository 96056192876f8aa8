package dev.vpngw.dataplane.routing;

import java.util.function.IntFunction;

/**
 * Mirrors forwarding changes into the kernel on its own thread, batches in order: rtnetlink
 * ({@link NetlinkRouteProgrammer}) by default, {@code ip -batch} ({@link IpRouteProgrammer}) when
 * the system property {@code vpngw.kernelRoutes=ip} asks for it or a netlink socket cannot be
 * opened (no native access).
 */
public interface KernelRouteProgrammer extends KernelRouteListener, AutoCloseable {
  String PROPERTY = "vpngw.kernelRoutes";

  /** The last failure (errno or exit status and the route), or null when all went in. */
  String lastError();

  /** Batches applied so far (successfully or not). */
  long appliedBatches();

  /** Waits until every batch handed over so far has been applied. */
  void awaitIdle(long timeoutMillis) throws InterruptedException;

  @Override
  void close();

  /**
   * @param netns         namespace to program, or null for the current one
   * @param deviceForSlot tunnel slot → device name; null if the slot has no device
   */
  static KernelRouteProgrammer open(String netns, IntFunction<String> deviceForSlot) {
    if ("ip".equals(System.getProperty(PROPERTY))) {
      return new IpRouteProgrammer(netns, deviceForSlot);
    }
    try {
      return new NetlinkRouteProgrammer(netns, deviceForSlot);
    } catch (RuntimeException | LinkageError e) {
      org.slf4j.LoggerFactory.getLogger(KernelRouteProgrammer.class)
          .warn("rtnetlink unavailable ({}); kernel routes go through ip -batch", e.toString());
      return new IpRouteProgrammer(netns, deviceForSlot);
    }
  }
}
