package dev.vpngw.dataplane.bgp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When a starting gateway counts as restarting (RFC 4724 Restart State) and when not. */
class GracefulRestartMarkerTest {
  private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");

  @TempDir Path dir;

  @Test
  void firstStartIsNotARestartAndLeavesAHeartbeat() throws Exception {
    GracefulRestartMarker m = GracefulRestartMarker.open(dir, "default.gw.0", 120, T0);
    assertThat(m.restarting()).isFalse();
    assertThat(m.sincePrevious()).isNull();
    assertThat(Files.getLastModifiedTime(m.file()).toInstant()).isEqualTo(T0);
  }

  @Test
  void aHeartbeatYoungerThanTheRestartTimeMeansRestarting() throws Exception {
    GracefulRestartMarker.open(dir, "default.gw.0", 120, T0).beat(T0.plusSeconds(300));
    // The process died after its last beat at T0+300 s; the new one starts 5 s later.
    GracefulRestartMarker next = GracefulRestartMarker.open(dir, "default.gw.0", 120, T0.plusSeconds(305));
    assertThat(next.restarting()).isTrue();
    assertThat(next.sincePrevious().toSeconds()).isEqualTo(5);
    assertThat(GracefulRestartMarker.open(dir, "default.gw.1", 120, T0.plusSeconds(305)).restarting())
        .as("the other instance has its own file").isFalse();
  }

  @Test
  void anOldHeartbeatACleanStopOrGracefulRestartOffIsAFreshStart() throws Exception {
    Path f = GracefulRestartMarker.open(dir, "default.gw.0", 120, T0).file();
    Files.setLastModifiedTime(f, FileTime.from(T0));
    assertThat(GracefulRestartMarker.open(dir, "default.gw.0", 120, T0.plusSeconds(121)).restarting()).isFalse();
    GracefulRestartMarker m = GracefulRestartMarker.open(dir, "default.gw.0", 120, T0.plusSeconds(200));
    m.clear();
    assertThat(GracefulRestartMarker.open(dir, "default.gw.0", 120, T0.plusSeconds(201)).restarting()).isFalse();
    assertThat(GracefulRestartMarker.open(dir, "default.gw.0", 0, T0.plusSeconds(202)).restarting()).isFalse();
  }
}
