package dev.vpngw.crds.v1alpha1;

/** Constants of the vpngw.dev/v1alpha1 API. */
public final class Api {
  private Api() {}

  public static final String GROUP = "vpngw.dev";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;
  /** `kubectl get vpngw` lists all three kinds. */
  public static final String CATEGORY = "vpngw";
  /** Condition type every resource reports; `kubectl wait --for=condition=Ready` waits on it. */
  public static final String CONDITION_READY = "Ready";
  static final String READY_JSON_PATH = ".status.conditions[?(@.type==\"Ready\")].status";
}
