package dev.vpngw.operator.desired;

import static dev.vpngw.crds.validation.Topology.nameOf;

import dev.vpngw.crds.v1alpha1.VirtualNetworkGateway;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * One single-replica StatefulSet per instance. A StatefulSet, not a Deployment: it never runs two
 * pods of one instance at once (two pods answering IKE for the same identity would fight over SAs),
 * and the pod keeps a stable name the operator and status can refer to.
 *
 * <p>Placement: instance i is pinned to {@code spec.zones[i mod n]} (node label
 * topology.kubernetes.io/zone); the two instances repel each other hard across zones when two or
 * more zones are given, across nodes otherwise (regional fallback).
 *
 * <p>Lock-down: non-root (65532), read-only root filesystem, seccomp RuntimeDefault, every
 * capability dropped but NET_ADMIN (TUN and routes); the only privileged step is a short init
 * container that sets net.ipv4.ip_forward in the pod's own network namespace. Configuration
 * changes arrive through the instance Secret and POST /v1/reload, never through the pod template,
 * so they do not restart the pods.
 */
public final class GatewayPods {
  private GatewayPods() {}

  public static final String CONTAINER = "gateway";
  public static final long RUN_AS = 65532L;
  public static final String ZONE_LABEL = "topology.kubernetes.io/zone";
  public static final String HOSTNAME_LABEL = "kubernetes.io/hostname";
  public static final String CONFIG_DIR = "/etc/vpngw/config";
  public static final String TOKEN_FILE = "/etc/vpngw/token/token";
  public static final String PODINFO_DIR = "/etc/vpngw/podinfo";
  /** BGP graceful-restart heartbeat (see the data plane's {@code GracefulRestartMarker}). */
  public static final String STATE_DIR = "/var/run/vpngw";

  static StatefulSet statefulSet(VirtualNetworkGateway gw, int instance, OperatorSettings settings) {
    String name = nameOf(gw);
    var podLabels = Labels.instance(name, instance);
    return new StatefulSetBuilder()
        .withNewMetadata()
          .withName(Names.statefulSet(name, instance))
          .withNamespace(GatewayDesiredState.ns(gw))
          .withLabels(Labels.instance(name, instance))
        .endMetadata()
        .withNewSpec()
          .withReplicas(1)
          .withServiceName(Names.service(name, instance))
          .withPodManagementPolicy("Parallel")
          .withNewSelector().withMatchLabels(Labels.instancePod(name, instance)).endSelector()
          .withNewUpdateStrategy().withType("RollingUpdate").endUpdateStrategy()
          .withNewTemplate()
            .withNewMetadata().withLabels(podLabels).endMetadata()
            .withNewSpec()
              .withAutomountServiceAccountToken(false)
              .withEnableServiceLinks(false)
              .withTerminationGracePeriodSeconds(30L)
              .withAffinity(affinity(gw, instance))
              .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withRunAsUser(RUN_AS)
                .withRunAsGroup(RUN_AS)
                .withFsGroup(RUN_AS)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                // Safe (namespaced, allowed by default) sysctl: lets the non-root JVM bind UDP 500.
                .addNewSysctl().withName("net.ipv4.ip_unprivileged_port_start").withValue("0").endSysctl()
              .endSecurityContext()
              .withInitContainers(ipForwardInit(settings))
              .withContainers(gatewayContainer(gw, instance, settings))
              .withVolumes(volumes(name, instance, settings))
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }

  private static Affinity affinity(VirtualNetworkGateway gw, int instance) {
    List<String> zones = gw.getSpec().zones();
    boolean spread = zones.size() >= 2;
    var b = new AffinityBuilder()
        .withNewPodAntiAffinity()
          .addNewRequiredDuringSchedulingIgnoredDuringExecution()
            .withTopologyKey(spread ? ZONE_LABEL : HOSTNAME_LABEL)
            .withNewLabelSelector().withMatchLabels(Labels.gatewayPods(nameOf(gw))).endLabelSelector()
          .endRequiredDuringSchedulingIgnoredDuringExecution()
        .endPodAntiAffinity();
    if (!zones.isEmpty()) {
      b.withNewNodeAffinity()
          .withNewRequiredDuringSchedulingIgnoredDuringExecution()
            .addNewNodeSelectorTerm()
              .addNewMatchExpression()
                .withKey(ZONE_LABEL).withOperator("In").withValues(zones.get(instance % zones.size()))
              .endMatchExpression()
            .endNodeSelectorTerm()
          .endRequiredDuringSchedulingIgnoredDuringExecution()
        .endNodeAffinity();
    }
    return b.build();
  }

  private static Container ipForwardInit(OperatorSettings settings) {
    return new ContainerBuilder()
        .withName("ip-forward")
        .withImage(settings.dataplaneImage())
        .withImagePullPolicy(settings.imagePullPolicy())
        .withCommand("/bin/sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward")
        .withNewSecurityContext()
          // /proc/sys is read-only unless privileged; this container runs for milliseconds and
          // only touches the pod's own network namespace.
          .withPrivileged(true)
          .withRunAsNonRoot(false)
          .withRunAsUser(0L)
          .withReadOnlyRootFilesystem(true)
        .endSecurityContext()
        .withResources(new ResourceRequirementsBuilder()
            .addToRequests("cpu", new Quantity("10m")).addToRequests("memory", new Quantity("16Mi"))
            .addToLimits("cpu", new Quantity("100m")).addToLimits("memory", new Quantity("32Mi"))
            .build())
        .build();
  }

  private static Container gatewayContainer(VirtualNetworkGateway gw, int instance, OperatorSettings settings) {
    ResourceRequirements resources = SkuResources.of(gw.getSpec().sku()).requirements();
    if (settings.tunDevice() == OperatorSettings.TunDevice.DEVICE_PLUGIN) {
      resources.getRequests().put(settings.tunResourceName(), new Quantity("1"));
      resources.getLimits().put(settings.tunResourceName(), new Quantity("1"));
    }
    var mounts = new ArrayList<VolumeMount>();
    mounts.add(new VolumeMountBuilder().withName("config").withMountPath(CONFIG_DIR).withReadOnly(true).build());
    mounts.add(new VolumeMountBuilder().withName("token").withMountPath("/etc/vpngw/token").withReadOnly(true).build());
    mounts.add(new VolumeMountBuilder().withName("podinfo").withMountPath(PODINFO_DIR).withReadOnly(true).build());
    mounts.add(new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build());
    mounts.add(new VolumeMountBuilder().withName("state").withMountPath(STATE_DIR).build());
    if (settings.tunDevice() == OperatorSettings.TunDevice.HOST_PATH) {
      mounts.add(new VolumeMountBuilder().withName("dev-net-tun").withMountPath("/dev/net/tun").build());
    }
    String port = Integer.toString(settings.adminPort());
    return new ContainerBuilder()
        .withName(CONTAINER)
        .withImage(settings.dataplaneImage())
        .withImagePullPolicy(settings.imagePullPolicy())
        // --gateway: a Vnet2Vnet config also holds the far gateway; --local-address: IKE/ESP bind the
        // pod IP (the public IP lives on the LoadBalancer); the admin endpoint must be reachable by
        // the operator's status poll, so it listens on the pod network too (operations need the token).
        .withArgs("run", "--manifests", CONFIG_DIR, "--gateway", GatewayDesiredState.ns(gw) + "/" + gw.getMetadata().getName(),
            "--instance", Integer.toString(instance), "--local-address", "$(POD_IP)",
            "--admin-address", "0.0.0.0", "--admin-port", port, "--admin-token-file", TOKEN_FILE)
        .addNewEnv().withName("JAVA_TOOL_OPTIONS").withValue("-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError").endEnv()
        .addNewEnv().withName("POD_NAME").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endValueFrom().endEnv()
        .addNewEnv().withName("POD_IP").withNewValueFrom().withNewFieldRef().withFieldPath("status.podIP").endFieldRef().endValueFrom().endEnv()
        .addNewEnv().withName("VPNGW_STATE_DIR").withValue(STATE_DIR).endEnv()
        .addNewPort().withName("ike").withProtocol("UDP").withContainerPort(GatewayServices.IKE_PORT).endPort()
        .addNewPort().withName("nat-t").withProtocol("UDP").withContainerPort(GatewayServices.NAT_T_PORT).endPort()
        .addNewPort().withName("admin").withProtocol("TCP").withContainerPort(settings.adminPort()).endPort()
        .withNewReadinessProbe()
          .withNewHttpGet().withPath("/readyz").withPort(new IntOrString("admin")).endHttpGet()
          .withPeriodSeconds(2).withFailureThreshold(2).withTimeoutSeconds(1)
        .endReadinessProbe()
        .withNewLivenessProbe()
          .withNewHttpGet().withPath("/healthz").withPort(new IntOrString("admin")).endHttpGet()
          .withPeriodSeconds(10).withFailureThreshold(3).withTimeoutSeconds(2)
        .endLivenessProbe()
        .withNewStartupProbe()
          .withNewHttpGet().withPath("/healthz").withPort(new IntOrString("admin")).endHttpGet()
          .withPeriodSeconds(1).withFailureThreshold(60)
        .endStartupProbe()
        .withResources(resources)
        .withNewSecurityContext()
          .withRunAsNonRoot(true)
          .withReadOnlyRootFilesystem(true)
          // A non-root process only holds NET_ADMIN through the file capability set on the java
          // binary in the image; no_new_privs (allowPrivilegeEscalation: false) would block that.
          .withAllowPrivilegeEscalation(true)
          .withNewCapabilities().withDrop("ALL").withAdd("NET_ADMIN").endCapabilities()
          .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
        .endSecurityContext()
        .withVolumeMounts(mounts)
        .build();
  }

  private static List<Volume> volumes(String gateway, int instance, OperatorSettings settings) {
    String secret = Names.configSecret(gateway, instance);
    var out = new ArrayList<Volume>();
    out.add(new VolumeBuilder().withName("config")
        .withNewSecret().withSecretName(secret).withDefaultMode(0440)
          .addNewItem().withKey(InstanceSecrets.MANIFESTS_KEY).withPath(InstanceSecrets.MANIFESTS_KEY).endItem()
          .addNewItem().withKey(InstanceSecrets.REVISION_KEY).withPath(InstanceSecrets.REVISION_KEY).endItem()
        .endSecret().build());
    out.add(new VolumeBuilder().withName("token")
        .withNewSecret().withSecretName(secret).withDefaultMode(0440)
          .addNewItem().withKey(InstanceSecrets.TOKEN_KEY).withPath("token").endItem()
        .endSecret().build());
    // Labels as a file: the standby sees vpngw.dev/role flip to active without an API call.
    out.add(new VolumeBuilder().withName("podinfo")
        .withNewDownwardAPI()
          .addNewItem().withPath("labels").withNewFieldRef().withFieldPath("metadata.labels").endFieldRef().endItem()
        .endDownwardAPI().build());
    out.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().withMedium("Memory").withSizeLimit(new Quantity("64Mi")).endEmptyDir().build());
    // Outlives a container restart (not the pod): the restarted data plane finds its BGP heartbeat
    // there and announces a graceful restart, so peers keep its routes instead of withdrawing them.
    out.add(new VolumeBuilder().withName("state").withNewEmptyDir().withMedium("Memory").withSizeLimit(new Quantity("1Mi")).endEmptyDir().build());
    if (settings.tunDevice() == OperatorSettings.TunDevice.HOST_PATH) {
      out.add(new VolumeBuilder().withName("dev-net-tun")
          .withNewHostPath().withPath("/dev/net/tun").withType("CharDevice").endHostPath().build());
    }
    return out;
  }
}
