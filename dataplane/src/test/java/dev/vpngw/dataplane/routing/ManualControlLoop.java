package dev.vpngw.dataplane.routing;

import java.util.PriorityQueue;

/** A deterministic {@link ControlLoop}: virtual clock, tasks run only when the test says so. */
public final class ManualControlLoop implements ControlLoop {
  private record Task(long at, long seq, Runnable run, boolean[] cancelled) {}

  private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
  private long now;
  private long seq;
  private boolean running;

  @Override
  public void execute(Runnable task) {
    queue.add(new Task(now, seq++, task, new boolean[1]));
  }

  @Override
  public Cancellable schedule(long delayMillis, Runnable task) {
    boolean[] c = new boolean[1];
    queue.add(new Task(now + delayMillis, seq++, task, c));
    return () -> c[0] = true;
  }

  @Override
  public long nowMillis() {
    return now;
  }

  @Override
  public boolean inLoop() {
    return running;
  }

  /** Runs everything due at the current time. */
  public void runDue() {
    running = true;
    try {
      while (!queue.isEmpty() && queue.peek().at <= now) {
        Task t = queue.poll();
        if (!t.cancelled[0]) {
          t.run.run();
        }
      }
    } finally {
      running = false;
    }
  }

  /** Moves the clock forward, running tasks in time order. */
  public void advance(long millis) {
    long end = now + millis;
    runDue();
    while (!queue.isEmpty() && queue.peek().at <= end) {
      now = queue.peek().at;
      runDue();
    }
    now = end;
    runDue();
  }
}
