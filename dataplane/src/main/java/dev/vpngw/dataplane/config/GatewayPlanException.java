package dev.vpngw.dataplane.config;

import dev.vpngw.crds.validation.Finding;
import java.util.List;
import java.util.stream.Collectors;

/** The gateway itself cannot run (not found, invalid addressSpace …); names resource and field. */
public final class GatewayPlanException extends Exception {
  private final transient List<Finding> findings;

  public GatewayPlanException(List<Finding> findings) {
    super(findings.stream().map(Finding::toString).collect(Collectors.joining("\n")));
    this.findings = List.copyOf(findings);
  }

  public List<Finding> findings() {
    return findings;
  }
}
