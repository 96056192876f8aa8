package dev.vpngw.crds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** kubectl explain and kubectl get must read well: descriptions everywhere, columns in order. */
class CrdDescriptionsTest {

  /** Filled in by the API server for every kind. */
  static final Set<String> STANDARD = Set.of("apiVersion", "kind", "metadata");

  @Test
  void everyFieldHasADescription() throws Exception {
    var undocumented = new ArrayList<String>();
    var categories = new ArrayList<Object>();
    try (Stream<Path> files = Files.list(CommittedCrdsAreCurrentTest.moduleDir().resolve("generated"))) {
      for (Path f : files.toList()) {
        Map<?, ?> crd = new ObjectMapper(new YAMLFactory()).readValue(f.toFile(), Map.class);
        Map<?, ?> spec = (Map<?, ?>) crd.get("spec");
        categories.add(((Map<?, ?>) spec.get("names")).get("categories"));
        for (Object v : (List<?>) spec.get("versions")) {
          Map<?, ?> version = (Map<?, ?>) v;
          assertThat(version.get("subresources")).as("status subresource").isEqualTo(Map.of("status", Map.of()));
          Map<?, ?> root = (Map<?, ?>) ((Map<?, ?>) version.get("schema")).get("openAPIV3Schema");
          ((Map<?, ?>) root.get("properties")).forEach((name, schema) -> {
            if (!STANDARD.contains(name)) {
              walk(f.getFileName() + ":" + name, (Map<?, ?>) schema, undocumented);
            }
          });
        }
      }
    }
    assertThat(undocumented).isEmpty();
    assertThat(categories).hasSize(3).allSatisfy(c -> assertThat(c).isEqualTo(List.of("vpngw")));
  }

  private static void walk(String path, Map<?, ?> schema, List<String> undocumented) {
    if (!(schema.get("description") instanceof String d) || d.isBlank()) {
      undocumented.add(path);
    }
    if (schema.get("properties") instanceof Map<?, ?> props) {
      props.forEach((name, s) -> walk(path + "." + name, (Map<?, ?>) s, undocumented));
    }
    if (schema.get("items") instanceof Map<?, ?> items && items.get("properties") instanceof Map<?, ?> props) {
      props.forEach((name, s) -> walk(path + "[]." + name, (Map<?, ?>) s, undocumented));
    }
  }

  @Test
  void printerColumnsReadLikeAzuresLists() throws Exception {
    assertThat(columns("virtualnetworkgateways")).containsExactly(
        "SKU", "Type", "Active-Active", "BGP", "ASN", "Ready", "Age");
    assertThat(columns("localnetworkgateways")).containsExactly(
        "Gateway IP", "FQDN", "Address Space", "ASN", "Ready", "Age");
    assertThat(columns("connections")).containsExactly(
        "Type", "Gateway", "Status", "Bytes In", "Bytes Out", "Ready", "Age");
  }

  private static List<String> columns(String plural) throws Exception {
    Path f = CommittedCrdsAreCurrentTest.moduleDir().resolve("generated/" + plural + ".vpngw.dev-v1.yml");
    Map<?, ?> crd = new ObjectMapper(new YAMLFactory()).readValue(f.toFile(), Map.class);
    Map<?, ?> version = (Map<?, ?>) ((List<?>) ((Map<?, ?>) crd.get("spec")).get("versions")).getFirst();
    return ((List<?>) version.get("additionalPrinterColumns")).stream().map(c -> String.valueOf(((Map<?, ?>) c).get("name"))).toList();
  }
}
