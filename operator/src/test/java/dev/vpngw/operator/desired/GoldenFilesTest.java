package dev.vpngw.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpngw.crds.ManifestSet;
import dev.vpngw.operator.Examples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every object the operator creates for each example, compared with
 * {@code src/test/resources/golden/<example>.yaml}. After an intended change regenerate with
 * {@code ./mvnw -B -pl operator -am verify -Dgolden.update=true} and review the diff.
 */
class GoldenFilesTest {

  static Stream<String> examples() {
    return Examples.names().stream();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void renderMatchesGoldenFile(String example) throws Exception {
    var manifests = ManifestSet.load(Examples.examples().resolve(example));
    String rendered = Render.toYaml(Render.render(manifests, OperatorSettings.defaults()).objects());
    Path golden = Examples.repoRoot().resolve("operator/src/test/resources/golden/" + example + ".yaml");
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(golden.getParent());
      Files.writeString(golden, rendered);
    }
    assertThat(golden).as("golden file for %s (regenerate with -Dgolden.update=true)", example).exists();
    assertThat(rendered).isEqualTo(Files.readString(golden));
  }
}
