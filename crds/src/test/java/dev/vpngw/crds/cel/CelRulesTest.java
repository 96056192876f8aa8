package dev.vpngw.crds.cel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vpngw.crds.ExampleManifests;
import dev.vpngw.crds.validation.CrdRule;
import dev.vpngw.crds.validation.CrdSchemaValidator;
import dev.vpngw.crds.validation.SchemaViolation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the CEL rules shipped in crds/generated/ (not the Java annotations) with cel-java: every
 * rule compiles, rejects at least one crafted object (cel-cases.yaml), and accepts every example
 * manifest and at least one object.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CelRulesTest {

  record Case(String name, String expect, Map<String, Object> object, Map<String, Object> old) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static CrdSchemaValidator harness;
  static final Set<CrdRule> REJECTED_SOMETHING = new HashSet<>();
  static final Set<CrdRule> ACCEPTED_SOMETHING = new HashSet<>();

  @BeforeAll
  static void load() throws IOException {
    harness = CrdSchemaValidator.load(crdDir());
  }

  static Path crdDir() {
    return Path.of(System.getProperty("basedir", ".")).resolve("generated");
  }

  static List<Case> cases() throws IOException {
    try (InputStream in = CelRulesTest.class.getResourceAsStream("/cel-cases.yaml")) {
      List<?> raw = YAML.readValue(in, List.class);
      var out = new ArrayList<Case>();
      for (Object o : raw) {
        var m = asMap(o);
        out.add(new Case((String) m.get("name"), (String) m.get("expect"), asMap(m.get("object")), asMap(m.get("old"))));
      }
      return out;
    }
  }

  static Stream<ExampleManifests.Document> exampleResources() throws IOException {
    return ExampleManifests.all().stream().filter(d -> d.apiVersion().startsWith("vpngw.dev/"));
  }

  private static void record(CrdRule rule, boolean accepted) {
    (accepted ? ACCEPTED_SOMETHING : REJECTED_SOMETHING).add(rule);
  }

  @Test
  @Order(1)
  void theCrdsCarryRulesAndAllOfThemCompile() {
    assertThat(harness.rules()).hasSizeGreaterThanOrEqualTo(25);
    for (CrdRule rule : harness.rules()) {
      assertThatCode(() -> harness.program(rule)).as(rule.toString()).doesNotThrowAnyException();
      assertThat(rule.message()).as("every rule explains itself").isNotBlank();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @Order(2)
  void craftedObject(Case c) {
    var violations = harness.validate(c.object(), c.old(), CelRulesTest::record);
    assertThat(violations).as("no rule may fail to evaluate (missing has() guard?)")
        .allSatisfy(v -> assertThat(v.evaluationError()).isNull());
    assertThat(violations).as("crafted objects must satisfy the OpenAPI schema, so only CEL rules reject them")
        .allSatisfy(v -> assertThat(v.rule()).as(v.toString()).isNotNull());
    var violated = violations.stream().map(SchemaViolation::rule).distinct().toList();
    if ("none".equals(c.expect())) {
      assertThat(violated).as("%s should pass every rule", c.name()).isEmpty();
      return;
    }
    var expected = harness.rules().stream().filter(r -> r.message().contains(c.expect())).toList();
    assertThat(expected).as("'expect' must name exactly one rule: %s", c.expect()).hasSize(1);
    assertThat(violated).as("%s should violate exactly that rule", c.name()).containsExactly(expected.getFirst());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exampleResources")
  @Order(3)
  void exampleManifestPassesEveryRuleOnCreateAndUnchangedUpdate(ExampleManifests.Document doc) {
    assertThat(harness.validate(doc.content(), null, CelRulesTest::record)).as(doc.toString()).isEmpty();
    assertThat(harness.validate(doc.content(), doc.content(), CelRulesTest::record)).as(doc.toString()).isEmpty();
  }

  @Test
  @Order(4)
  void everyRuleRejectsSomethingAndAcceptsSomething() throws IOException {
    // Run everything again so this test does not depend on execution order.
    for (Case c : cases()) {
      harness.validate(c.object(), c.old(), CelRulesTest::record);
    }
    exampleResources().forEach(d -> {
      harness.validate(d.content(), null, CelRulesTest::record);
      harness.validate(d.content(), d.content(), CelRulesTest::record);
    });
    assertThat(harness.rules()).as("rules without a crafted failing case").allMatch(REJECTED_SOMETHING::contains);
    assertThat(harness.rules()).as("rules never seen accepting an object").allMatch(ACCEPTED_SOMETHING::contains);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> asMap(Object o) {
    return (Map<String, Object>) o;
  }
}
