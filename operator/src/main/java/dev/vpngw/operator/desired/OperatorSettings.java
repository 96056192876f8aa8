package dev.vpngw.operator.desired;

import java.util.Objects;

/**
 * Cluster-wide settings the desired-state builders need (from the Helm values via flags).
 *
 * @param dataplaneImage image of the gateway pods and the route agent
 * @param imagePullPolicy pull policy for that image
 * @param tunDevice how pods get /dev/net/tun
 * @param tunResourceName extended resource a device plugin advertises for /dev/net/tun (DEVICE_PLUGIN mode)
 * @param routeAgent whether to run the route-agent DaemonSet that steers cluster traffic to the tunnels
 * @param adminPort the data plane's admin port
 */
public record OperatorSettings(String dataplaneImage, String imagePullPolicy, TunDevice tunDevice,
    String tunResourceName, boolean routeAgent, int adminPort) {

  /** Ways to give a non-privileged container /dev/net/tun; see docs/gateway-pods.md. */
  public enum TunDevice {
    /** hostPath CharDevice volume; needs a runtime that allows the tun device (c 10:200) in the container's device cgroup. */
    HOST_PATH,
    /** An extended resource from a device plugin (e.g. a generic device plugin exposing /dev/net/tun). */
    DEVICE_PLUGIN
  }

  public static final String DEFAULT_IMAGE = "ghcr.io/vpngw/vpngw-dataplane:0.1.0";
  public static final int DEFAULT_ADMIN_PORT = 9090;

  public OperatorSettings {
    Objects.requireNonNull(dataplaneImage, "dataplaneImage");
    imagePullPolicy = imagePullPolicy == null ? "IfNotPresent" : imagePullPolicy;
    tunDevice = tunDevice == null ? TunDevice.HOST_PATH : tunDevice;
    tunResourceName = tunResourceName == null ? "squat.ai/tun" : tunResourceName;
  }

  public static OperatorSettings defaults() {
    return new OperatorSettings(DEFAULT_IMAGE, "IfNotPresent", TunDevice.HOST_PATH, null, true, DEFAULT_ADMIN_PORT);
  }
}
