package dev.vpngw.operator.desired;

import dev.vpngw.crds.ManifestSet;
import dev.vpngw.crds.validation.Finding;
import dev.vpngw.crds.validation.Topology;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Renders manifests to the objects the operator would create, without a cluster. */
public final class Render {
  private Render() {}

  /** The result: objects for every gateway in the manifests, and the validator's findings. */
  public record Result(List<HasMetadata> objects, List<Finding> findings) {}

  public static Result render(ManifestSet manifests, OperatorSettings settings) {
    Topology topology = manifests.topology();
    var objects = new ArrayList<HasMetadata>();
    var gateways = manifests.virtualNetworkGateways().stream()
        .sorted(Comparator.comparing(Topology::namespaceOf).thenComparing(Topology::nameOf))
        .toList();
    for (var gw : gateways) {
      objects.addAll(GatewayDesiredState.desired(GatewayInputs.forRender(gw, topology), settings).objects());
    }
    return new Result(List.copyOf(objects), manifests.validate());
  }

  /** "---"-separated YAML, one document per object, in apply order. */
  public static String toYaml(List<HasMetadata> objects) {
    var sb = new StringBuilder();
    for (HasMetadata o : objects) {
      String yaml = Serialization.asYaml(o);
      sb.append(yaml.startsWith("---") ? yaml : "---\n" + yaml);
      if (!yaml.endsWith("\n")) {
        sb.append('\n');
      }
    }
    return sb.toString();
  }
}
