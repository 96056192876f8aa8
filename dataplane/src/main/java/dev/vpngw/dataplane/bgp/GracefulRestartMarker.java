package dev.vpngw.dataplane.bgp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

/**
 * How a starting gateway knows it is a BGP speaker coming back from a restart (RFC 4724 §4.1):
 * while BGP runs, a heartbeat file in the state directory has its modification time refreshed
 * every second; a clean stop deletes it. A process that finds the file, touched less than the
 * graceful-restart time ago, follows one that died (kill -9, OOM kill, container restart) while
 * its peers may still hold our routes as stale, so it sets the Restart State and Forwarding bits.
 *
 * <p>The directory must outlive the process but not the pod: an {@code emptyDir} (survives
 * container restarts), or any directory given with {@code vpngw run --state-dir}. One file per
 * gateway instance: {@code <namespace>.<gateway>.<instance>.bgp-alive}.
 */
public final class GracefulRestartMarker {
  private static final System.Logger LOG = System.getLogger(GracefulRestartMarker.class.getName());
  private final Path file;
  private final boolean restarting;
  private final Duration sincePrevious;

  private GracefulRestartMarker(Path file, boolean restarting, Duration sincePrevious) {
    this.file = file;
    this.restarting = restarting;
    this.sincePrevious = sincePrevious;
  }

  /** Reads the previous process's heartbeat (if any) and takes the file over. */
  public static GracefulRestartMarker open(Path dir, String instanceName, int restartTimeSeconds, Instant now) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(instanceName + ".bgp-alive");
    boolean restarting = false;
    Duration since = null;
    if (Files.exists(file)) {
      since = Duration.between(Files.getLastModifiedTime(file).toInstant(), now);
      restarting = restartTimeSeconds > 0 && !since.isNegative() && since.compareTo(Duration.ofSeconds(restartTimeSeconds)) < 0;
      LOG.log(System.Logger.Level.INFO, "{0}: previous process last alive {1} ms ago: {2}", file, since.toMillis(),
          restarting ? "restarting gracefully (RFC 4724 Restart State)" : "older than the restart time, a fresh start");
    }
    GracefulRestartMarker m = new GracefulRestartMarker(file, restarting, since);
    m.beat(now);
    return m;
  }

  /** Whether this process follows one that died less than the restart time ago. */
  public boolean restarting() {
    return restarting;
  }

  /** How long ago the previous process was last alive, or null when there was none. */
  public Duration sincePrevious() {
    return sincePrevious;
  }

  public Path file() {
    return file;
  }

  /** Refreshes the heartbeat. */
  public void beat(Instant now) {
    try {
      if (!Files.exists(file)) {
        Files.createFile(file);
      }
      Files.setLastModifiedTime(file, FileTime.from(now));
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot refresh {0}: {1}", file, e.toString());
    }
  }

  /** A clean stop: the peers are told (Cease), so the next start is not a graceful restart. */
  public void clear() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot delete {0}: {1}", file, e.toString());
    }
  }
}
