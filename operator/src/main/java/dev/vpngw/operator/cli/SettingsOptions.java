package dev.vpngw.operator.cli;

import dev.vpngw.operator.desired.OperatorSettings;
import picocli.CommandLine.Option;

/** Flags that become {@link OperatorSettings} (the Helm chart passes them to the operator). */
public final class SettingsOptions {
  @Option(names = "--dataplane-image", defaultValue = OperatorSettings.DEFAULT_IMAGE,
      description = "Image of the gateway pods and route agent (default: ${DEFAULT-VALUE}).")
  String dataplaneImage;

  @Option(names = "--image-pull-policy", defaultValue = "IfNotPresent")
  String imagePullPolicy;

  @Option(names = "--tun-device", defaultValue = "HOST_PATH",
      description = "How gateway pods get /dev/net/tun: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  OperatorSettings.TunDevice tunDevice;

  @Option(names = "--tun-resource", defaultValue = "squat.ai/tun",
      description = "Extended resource name of the tun device plugin (with --tun-device DEVICE_PLUGIN).")
  String tunResource;

  @Option(names = "--route-agent", defaultValue = "true", negatable = true, fallbackValue = "true",
      description = "Run the route-agent DaemonSet per gateway (default: ${DEFAULT-VALUE}).")
  boolean routeAgent;

  @Option(names = "--admin-port", defaultValue = "9090")
  int adminPort;

  public OperatorSettings toSettings() {
    return new OperatorSettings(dataplaneImage, imagePullPolicy, tunDevice, tunResource, routeAgent, adminPort);
  }
}
