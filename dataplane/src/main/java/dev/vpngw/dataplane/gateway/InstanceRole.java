package dev.vpngw.dataplane.gateway;

import dev.vpngw.dataplane.config.LocalGatewayPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether this instance should carry tunnels now. Active-active instances always do; the standby
 * of an active-standby pair waits until the operator relabels its pod {@code vpngw.dev/role=active}
 * (takeover), which the pod sees through its downward-API labels file.
 */
final class InstanceRole {
  static final String ENV = "VPNGW_ROLE_FILE";
  static final Path DEFAULT_FILE = Path.of("/etc/vpngw/podinfo/labels");
  private static final String ACTIVE_LABEL = "vpngw.dev/role=\"active\"";

  private final Path labels;

  InstanceRole(Path labels) {
    this.labels = labels;
  }

  static InstanceRole fromEnvironment() {
    String f = System.getenv(ENV);
    return new InstanceRole(f == null || f.isBlank() ? DEFAULT_FILE : Path.of(f));
  }

  boolean active(LocalGatewayPlan gateway) {
    if (gateway.role() == LocalGatewayPlan.Role.Active) {
      return true;
    }
    try {
      return Files.isRegularFile(labels) && Files.readAllLines(labels).stream().map(String::strip)
          .anyMatch(ACTIVE_LABEL::equals);
    } catch (IOException e) {
      return false; // unreadable labels: stay standby rather than fight the active instance
    }
  }
}
