package dev.vpngw.dataplane.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * What every kernel route programmer shares: batches applied in order on one daemon thread of its
 * own (the control loop never waits for the kernel), the last failure and a batch count for status,
 * and the devices a change's tunnel slots map to. Subclasses say how a batch reaches the kernel.
 */
abstract sealed class OrderedRouteProgrammer implements KernelRouteProgrammer
    permits IpRouteProgrammer, NetlinkRouteProgrammer {
  private final IntFunction<String> deviceForSlot;
  private final ExecutorService worker;
  private volatile String lastError;
  private volatile long appliedBatches;

  OrderedRouteProgrammer(String threadName, IntFunction<String> deviceForSlot) {
    this.deviceForSlot = deviceForSlot;
    this.worker = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
  }

  /** Applies one batch on the worker thread; failures are reported through {@link #failed}. */
  abstract void applyNow(List<Change> batch);

  /** Runs on the worker before any batch (e.g. to warm a path up). */
  final void runFirst(Runnable task) {
    worker.execute(task);
  }

  final void failed(String error) {
    lastError = error;
  }

  /** The devices of the change's slots that have one, in slot order; empty: delete the route. */
  final List<String> devicesOf(Change c) {
    List<String> devs = new ArrayList<>();
    for (int s : c.slots()) {
      String d = deviceForSlot.apply(s);
      if (d != null) {
        devs.add(d);
      }
    }
    return devs;
  }

  @Override
  public final void apply(List<Change> batch) {
    List<Change> copy = List.copyOf(batch);
    worker.execute(() -> {
      try {
        applyNow(copy);
      } finally {
        appliedBatches++;
      }
    });
  }

  @Override
  public final void awaitIdle(long timeoutMillis) throws InterruptedException {
    var f = worker.submit(() -> { });
    try {
      f.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("route programmer did not drain", e);
    }
  }

  @Override
  public final String lastError() {
    return lastError;
  }

  @Override
  public final long appliedBatches() {
    return appliedBatches;
  }

  /** Stops taking batches and lets the queued ones finish (up to 5 s), then releases resources. */
  @Override
  public void close() {
    worker.shutdown();
    try {
      worker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
