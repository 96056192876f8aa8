package dev.vpngw.dataplane.ike.sa;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in order, on a shared pool: each IKE SA is a single-threaded actor, so
 * protocol code needs no locks (Android's one-Handler-per-session, without a thread per SA).
 */
public final class SerialExecutor implements Executor {
  private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);
  private final Executor pool;
  private final Queue<Runnable> tasks = new ArrayDeque<>();
  private boolean running;

  public SerialExecutor(Executor pool) {
    this.pool = pool;
  }

  @Override
  public void execute(Runnable r) {
    synchronized (tasks) {
      tasks.add(r);
      if (running) {
        return;
      }
      running = true;
    }
    pool.execute(this::drain);
  }

  /**
   * Like {@link #execute}, but when nothing is queued the task runs on the calling thread. Only for
   * callers that already run on a thread of the pool (timer callbacks of the daemon's scheduler):
   * saves a hand-off and a thread wake-up per timer.
   */
  public void executeHere(Runnable r) {
    synchronized (tasks) {
      tasks.add(r);
      if (running) {
        return;
      }
      running = true;
    }
    drain();
  }

  private void drain() {
    while (true) {
      Runnable next;
      synchronized (tasks) {
        next = tasks.poll();
        if (next == null) {
          running = false;
          return;
        }
      }
      try {
        next.run();
      } catch (RuntimeException e) {
        log.error("IKE SA task failed", e);
      }
    }
  }
}
