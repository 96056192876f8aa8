package dev.vpngw.operator.desired;

/** Names of the objects created for a gateway; every name derives from the gateway's name. */
public final class Names {
  private Names() {}

  public static String instance(String gateway, int instance) {
    return gateway + "-" + instance;
  }

  /** StatefulSet {@code <gw>-<i>} runs one pod, {@code <gw>-<i>-0}. */
  public static String statefulSet(String gateway, int instance) {
    return instance(gateway, instance);
  }

  public static String pod(String gateway, int instance) {
    return statefulSet(gateway, instance) + "-0";
  }

  public static String service(String gateway, int instance) {
    return instance(gateway, instance);
  }

  public static String configSecret(String gateway, int instance) {
    return instance(gateway, instance) + "-config";
  }

  public static String disruptionBudget(String gateway) {
    return gateway;
  }

  public static String routeAgent(String gateway) {
    return gateway + "-route-agent";
  }

  public static String routes(String gateway) {
    return gateway + "-routes";
  }
}
