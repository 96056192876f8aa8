package dev.vpngw.operator.reconcile;

import dev.vpngw.operator.desired.Labels;

/** Operation annotations (Azure's verbs) and their acknowledgements. */
public final class Annotations {
  private Annotations() {}

  /** On a VirtualNetworkGateway: any new value (e.g. a timestamp) restarts instance 0, waits until it is ready, then 1. */
  public static final String RESET = Labels.PREFIX + "reset";
  /** Written by the operator: the reset value last completed. */
  public static final String RESET_ACKNOWLEDGED = Labels.PREFIX + "reset-acknowledged";
  /** Written by the operator while a reset runs: {@code <value>/<instance>/<uid of the deleted pod>}. */
  public static final String RESET_PROGRESS = Labels.PREFIX + "reset-progress";
  /** On a Connection: any new value asks both instances to tear down and renegotiate the connection. */
  public static final String RESET_CONNECTION = Labels.PREFIX + "reset-connection";
  /** Written by the operator: the reset-connection value last carried out. */
  public static final String RESET_CONNECTION_ACKNOWLEDGED = Labels.PREFIX + "reset-connection-acknowledged";
}
