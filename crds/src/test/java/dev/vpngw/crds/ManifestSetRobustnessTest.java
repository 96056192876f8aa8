package dev.vpngw.crds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Bad input gives a ManifestException naming the problem, never another exception: mutated
 * example manifests go through the loader, the schema/CEL checks and the semantic validator.
 */
class ManifestSetRobustnessTest {

  static final String[] ODD_VALUES = {"", "null", "~", "[]", "{}", "-1", "0", "99999999999999999999", "1.5", "true",
      "\"\"", "'198.18.0.0/16'", "[198.18.0.0/16, 198.18.0.0/8]", "169.254.21.1", "{name: x}", "IKEv1", "Basic",
      "\"\\u0000\"", "&a x", "*a", "!!binary AAAA", "[{instance: 1}]"};

  @Test
  void mutatedExamplesNeverCrashTheLoaderOrTheValidator() throws Exception {
    var sources = new ArrayList<String>();
    try (var files = Files.walk(ExampleManifests.examplesDir())) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        sources.add(Files.readString(f));
      }
    }
    var random = new Random(20261123L);
    int loaded = 0;
    int refused = 0;
    for (int i = 0; i < 300; i++) {
      String yaml = mutate(sources.get(random.nextInt(sources.size())), random);
      try {
        ManifestSet set = ManifestSet.parse("mutant-" + i, yaml, "default");
        set.validate();
        loaded++;
      } catch (ManifestException expected) {
        assertThat(expected.problems()).isNotEmpty();
        assertThat(expected.getMessage()).contains("mutant-" + i);
        refused++;
      } catch (RuntimeException e) {
        fail("mutant " + i + " crashed with " + e + "\n" + yaml, e);
      }
    }
    assertThat(refused).as("most mutants are refused").isGreaterThan(50);
    assertThat(loaded).as("some mutants are still valid").isGreaterThan(5);
  }

  static String mutate(String yaml, Random random) {
    List<String> lines = new ArrayList<>(yaml.lines().toList());
    int n = 1 + random.nextInt(3);
    for (int k = 0; k < n; k++) {
      int at = random.nextInt(lines.size());
      String line = lines.get(at);
      switch (random.nextInt(5)) {
        case 0 -> lines.remove(at);
        case 1 -> lines.add(at, line);
        case 2 -> {
          int colon = line.indexOf(": ");
          String odd = ODD_VALUES[random.nextInt(ODD_VALUES.length)];
          lines.set(at, colon < 0 ? line + " " + odd : line.substring(0, colon + 2) + odd);
        }
        case 3 -> {
          int dash = line.indexOf("- ");
          lines.set(at, dash < 0 ? line : line.substring(0, dash + 2) + ODD_VALUES[random.nextInt(ODD_VALUES.length)]);
        }
        default -> lines.set(at, line.isEmpty() ? line : line.substring(0, random.nextInt(line.length())));
      }
      if (lines.isEmpty()) {
        lines.add("---");
      }
    }
    return String.join("\n", lines) + "\n";
  }
}
