package dev.vpngw.dataplane.net;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends NAT-keepalives (RFC 3948 §2.3, one 0xFF byte) to a peer every {@code interval} while it
 * runs. IKE starts one per IKE SA when NAT detection found us behind a NAT and closes it with the SA.
 */
public final class NatKeepalive implements AutoCloseable {
  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "nat-keepalive");
    t.setDaemon(true);
    return t;
  });

  private final ScheduledFuture<?> task;

  private NatKeepalive(ScheduledFuture<?> task) {
    this.task = task;
  }

  public static NatKeepalive start(EspUdpSocket socket, InetSocketAddress remote, Duration interval) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("NAT keepalive interval must be positive, got " + interval);
    }
    long ms = interval.toMillis();
    return new NatKeepalive(TIMER.scheduleAtFixedRate(() -> socket.sendKeepalive(remote), ms, ms, TimeUnit.MILLISECONDS));
  }

  @Override
  public void close() {
    task.cancel(false);
  }
}
