package dev.vpngw.operator.desired;

import static dev.vpngw.crds.validation.Topology.nameOf;

import dev.vpngw.crds.v1alpha1.VirtualNetworkGateway;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.LinkedHashMap;

/**
 * One Secret per instance: its configuration ({@value #MANIFESTS_KEY}), the configuration revision
 * ({@value #REVISION_KEY}, a dot-file so the manifest loader skips it) and its admin token
 * ({@value #TOKEN_KEY}). Written as stringData so `render` output is readable; the operator
 * compares by {@link Labels#DESIRED_HASH}, never by reading stringData back.
 */
public final class InstanceSecrets {
  private InstanceSecrets() {}

  public static final String MANIFESTS_KEY = "manifests.yaml";
  public static final String REVISION_KEY = ".revision";
  public static final String TOKEN_KEY = "token";

  private static java.util.Map<String, String> labels(VirtualNetworkGateway gw, int instance) {
    var m = Labels.gateway(nameOf(gw), "config");
    m.put(Labels.INSTANCE, Integer.toString(instance));
    return m;
  }

  static Secret build(VirtualNetworkGateway gw, int instance, String manifests, String revision, String token) {
    var data = new LinkedHashMap<String, String>();
    data.put(MANIFESTS_KEY, manifests);
    data.put(REVISION_KEY, revision);
    data.put(TOKEN_KEY, token);
    return new SecretBuilder()
        .withNewMetadata()
          .withName(Names.configSecret(nameOf(gw), instance))
          .withNamespace(GatewayDesiredState.ns(gw))
          .withLabels(labels(gw, instance))
          .addToAnnotations(Labels.CONFIG_REVISION, revision)
        .endMetadata()
        .withType("Opaque")
        .withStringData(data)
        .build();
  }
}
