package dev.vpngw.operator.desired;

import java.util.LinkedHashMap;
import java.util.Map;

/** Label and annotation keys the operator puts on what it creates, and reads back. */
public final class Labels {
  private Labels() {}

  public static final String PREFIX = "vpngw.dev/";
  public static final String GATEWAY = PREFIX + "gateway";
  public static final String INSTANCE = PREFIX + "instance";
  /** Set on gateway pods by the operator: active or standby. Active-standby Services select role=active. */
  public static final String ROLE = PREFIX + "role";
  public static final String ROLE_ACTIVE = "active";
  public static final String ROLE_STANDBY = "standby";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY_VALUE = "vpngw-operator";
  public static final String NAME = "app.kubernetes.io/name";
  public static final String PART_OF = "app.kubernetes.io/part-of";

  /** Hash of the desired object the operator last wrote; an update happens only when it differs. */
  public static final String DESIRED_HASH = PREFIX + "desired-hash";
  /** Revision (hash) of an instance's rendered configuration; also mounted as the file {@code .revision}. */
  public static final String CONFIG_REVISION = PREFIX + "config-revision";
  /** On a pod: the configuration revision the operator last asked it to reload. */
  public static final String RELOADED_REVISION = PREFIX + "reloaded-revision";

  /** Selector for everything this operator manages (informers use it). */
  public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + MANAGED_BY_VALUE;

  static Map<String, String> gateway(String gateway, String component) {
    var m = new LinkedHashMap<String, String>();
    m.put(NAME, "vpngw");
    m.put(COMPONENT, component);
    m.put(PART_OF, "vpngw");
    m.put(MANAGED_BY, MANAGED_BY_VALUE);
    m.put(GATEWAY, gateway);
    return m;
  }

  static Map<String, String> instance(String gateway, int instance) {
    var m = gateway(gateway, "gateway");
    m.put(INSTANCE, Integer.toString(instance));
    return m;
  }

  /** Selector for both gateway pods of a gateway. */
  public static Map<String, String> gatewayPods(String gateway) {
    var m = new java.util.TreeMap<String, String>();
    m.put(COMPONENT, "gateway");
    m.put(GATEWAY, gateway);
    return m;
  }

  /** Selector for one instance's pod. */
  public static Map<String, String> instancePod(String gateway, int instance) {
    var m = new java.util.TreeMap<>(gatewayPods(gateway));
    m.put(INSTANCE, Integer.toString(instance));
    return m;
  }
}
