package dev.vpngw.dataplane.routing;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Production {@link ControlLoop}: one platform thread, wall clock. */
public final class ExecutorControlLoop implements ControlLoop, AutoCloseable {
  private final ScheduledExecutorService executor;
  private volatile Thread thread;

  public ExecutorControlLoop(String name) {
    executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      thread = t;
      return t;
    });
  }

  @Override
  public void execute(Runnable task) {
    executor.execute(guard(task));
  }

  @Override
  public Cancellable schedule(long delayMillis, Runnable task) {
    ScheduledFuture<?> f = executor.schedule(guard(task), delayMillis, TimeUnit.MILLISECONDS);
    return () -> f.cancel(false);
  }

  private static Runnable guard(Runnable task) {
    // An exception must not kill the loop thread and silently stop every session.
    return () -> {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        System.getLogger(ExecutorControlLoop.class.getName()).log(System.Logger.Level.ERROR, "control loop task failed", e);
      }
    };
  }

  @Override
  public long nowMillis() {
    return System.nanoTime() / 1_000_000;
  }

  @Override
  public boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  /** Runs {@code task} on the loop and waits for it; for callers outside the loop (status, tests). */
  public <T> T call(java.util.concurrent.Callable<T> task) {
    if (inLoop()) {
      try {
        return task.call();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    try {
      return executor.submit(task).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("control loop call failed", e);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
