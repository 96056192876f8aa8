package dev.vpngw.crds;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CRD YAML under crds/generated/ and helm/vpngw/crds/ is committed; it must equal what the
 * Fabric8 generator produced in this build (target/classes/META-INF/fabric8/).
 */
class CommittedCrdsAreCurrentTest {

  static final String REGENERATE = "./mvnw -B -pl crds -Pupdate-crds process-classes";

  static Path moduleDir() {
    return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
  }

  static TreeMap<String, String> crdFiles(Path dir) throws IOException {
    var files = new TreeMap<String, String>();
    if (!Files.isDirectory(dir)) {
      return files;
    }
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".vpngw.dev-v1.yml")).toList()) {
        files.put(p.getFileName().toString(), Files.readString(p));
      }
    }
    return files;
  }

  @ParameterizedTest
  @ValueSource(strings = {"generated", "../helm/vpngw/crds"})
  void committedCopyEqualsGeneratorOutput(String committedDir) throws IOException {
    var generated = crdFiles(moduleDir().resolve("target/classes/META-INF/fabric8"));
    assertThat(generated.keySet())
        .as("the crd-generator should have written three CRDs")
        .containsExactlyInAnyOrder(List.of("connections.vpngw.dev-v1.yml",
            "localnetworkgateways.vpngw.dev-v1.yml", "virtualnetworkgateways.vpngw.dev-v1.yml").toArray(String[]::new));
    var committed = crdFiles(moduleDir().resolve(committedDir));
    assertThat(committed.keySet())
        .as("CRD files in %s differ from the generator's; regenerate with: %s", committedDir, REGENERATE)
        .isEqualTo(generated.keySet());
    for (var e : generated.entrySet()) {
      assertThat(committed.get(e.getKey()))
          .as("%s/%s is stale; regenerate with: %s", committedDir, e.getKey(), REGENERATE)
          .isEqualTo(e.getValue());
    }
  }
}
