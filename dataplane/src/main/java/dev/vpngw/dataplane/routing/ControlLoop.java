package dev.vpngw.dataplane.routing;

/**
 * The single thread that owns control-plane state (BGP sessions, RIB, routing table). Everything
 * that mutates that state runs through {@link #execute}; timers come from {@link #schedule}. Tests
 * substitute a manual loop with a virtual clock, so protocol code never takes locks or reads the
 * wall clock itself.
 */
public interface ControlLoop {
  void execute(Runnable task);

  Cancellable schedule(long delayMillis, Runnable task);

  long nowMillis();

  /** True when called on the loop's own thread. */
  boolean inLoop();

  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }
}
