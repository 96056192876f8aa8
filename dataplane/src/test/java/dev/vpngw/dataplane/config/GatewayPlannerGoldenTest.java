package dev.vpngw.dataplane.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpngw.crds.ManifestSet;
import dev.vpngw.crds.validation.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Plans every example topology for instance 0 and 1 of each gateway and compares with committed YAML. */
class GatewayPlannerGoldenTest {

  @TestFactory
  List<DynamicTest> everyExampleEveryInstance() throws Exception {
    var tests = new ArrayList<DynamicTest>();
    List<Path> dirs;
    try (Stream<Path> s = Files.list(Golden.examplesDir())) {
      dirs = s.filter(Files::isDirectory).sorted().toList();
    }
    assertThat(dirs).hasSizeGreaterThanOrEqualTo(5);
    for (Path dir : dirs) {
      ManifestSet m = ManifestSet.load(dir);
      List<String> gateways = m.virtualNetworkGateways().stream().map(Topology::nameOf).sorted().toList();
      for (String gw : gateways) {
        for (int instance = 0; instance <= 1; instance++) {
          String file = "plan/" + dir.getFileName() + (gateways.size() > 1 ? "-" + gw : "") + "-" + instance + ".yaml";
          int i = instance;
          tests.add(DynamicTest.dynamicTest(file, () -> check(m, gw, i, file)));
        }
      }
    }
    var expected = tests.stream().map(t -> Path.of(t.getDisplayName()).getFileName().toString()).sorted().toList();
    tests.add(DynamicTest.dynamicTest("no stale golden plans", () -> {
      try (Stream<Path> s = Files.list(Golden.moduleDir().resolve("src/test/resources/golden/plan"))) {
        assertThat(s.map(p -> p.getFileName().toString()).sorted().toList())
            .as("golden plans without an example (delete them)").isEqualTo(expected);
      }
    }));
    return tests;
  }

  private static void check(ManifestSet m, String gw, int instance, String file) throws Exception {
    GatewayPlan plan = GatewayPlanner.plan(m, gw, instance);
    String yaml = PlanFormat.yaml(plan);
    assertThat(yaml).doesNotContain("ReplaceWithYourOwnKey").contains(Psk.MASK);
    Golden.assertMatches(file, yaml);
  }
}
