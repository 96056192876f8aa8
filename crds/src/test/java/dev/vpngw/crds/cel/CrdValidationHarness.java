package dev.vpngw.crds.cel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Evaluates the CEL rules of the generated CRD YAML against plain objects, without an API server:
 * applies the schema's defaults, then runs every rule whose schema node is present in the object
 * (transition rules only when an old object is given and the node exists in it too), the way the
 * API server does. Kubernetes' CEL library extensions (isCIDR, ip(), ...) are not available, so
 * our rules stick to standard CEL.
 */
final class CrdValidationHarness {

  /** A rule that rejected an object, or failed to evaluate (error non-null). */
  record Violation(CrdRule rule, String path, String error) {}

  /** Called for every evaluated rule: whether it accepted. */
  interface Listener {
    void evaluated(CrdRule rule, boolean accepted);
  }

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final Map<String, Map<String, Object>> schemaByKind = new LinkedHashMap<>();
  private final List<CrdRule> rules = new ArrayList<>();
  private final Map<CrdRule, CelRuntime.Program> programs = new HashMap<>();
  private final Map<Map<String, Object>, List<CrdRule>> rulesByNode = new IdentityHashMap<>();
  private final Cel cel = CelFactory.standardCelBuilder()
      .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
      .addVar("self", SimpleType.DYN)
      .addVar("oldSelf", SimpleType.DYN)
      .build();

  static CrdValidationHarness load(Path crdDir) throws IOException {
    var h = new CrdValidationHarness();
    try (Stream<Path> files = Files.list(crdDir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yml")).sorted().toList()) {
        h.addCrd(asMap(YAML.readValue(f.toFile(), Object.class)));
      }
    }
    return h;
  }

  private void addCrd(Map<String, Object> crd) {
    var spec = asMap(crd.get("spec"));
    String kind = (String) asMap(spec.get("names")).get("kind");
    for (Object v : (List<?>) spec.get("versions")) {
      var schema = asMap(asMap(asMap(v).get("schema")).get("openAPIV3Schema"));
      schemaByKind.put(kind, schema);
      collect(kind, schema, "");
    }
  }

  private void collect(String kind, Map<String, Object> node, String path) {
    var validations = (List<?>) node.get("x-kubernetes-validations");
    if (validations != null) {
      var here = new ArrayList<CrdRule>();
      for (Object o : validations) {
        var v = asMap(o);
        var rule = new CrdRule(kind, path.isEmpty() ? "." : path, (String) v.get("rule"), (String) v.get("message"));
        rules.add(rule);
        here.add(rule);
      }
      rulesByNode.put(node, here);
    }
    var props = node.get("properties");
    if (props != null) {
      for (var e : asMap(props).entrySet()) {
        collect(kind, asMap(e.getValue()), path.isEmpty() ? e.getKey() : path + "." + e.getKey());
      }
    }
    if (node.get("items") != null) {
      collect(kind, asMap(node.get("items")), path + "[]");
    }
  }

  List<CrdRule> rules() {
    return List.copyOf(rules);
  }

  /** Parses and type-checks a rule; throws with CEL's message when it does not compile. */
  CelRuntime.Program program(CrdRule rule) {
    return programs.computeIfAbsent(rule, r -> {
      try {
        CelAbstractSyntaxTree ast = cel.compile(r.expression()).getAst();
        return cel.createProgram(ast);
      } catch (CelValidationException | CelEvaluationException e) {
        throw new IllegalStateException("rule does not compile: " + r + ": " + e.getMessage(), e);
      }
    });
  }

  /** Validates a create (old == null) or an update of one object of our kinds. */
  List<Violation> validate(Map<String, Object> object, Map<String, Object> old, Listener listener) {
    String kind = (String) object.get("kind");
    var schema = schemaByKind.get(kind);
    if (schema == null) {
      throw new IllegalArgumentException("no CRD for kind " + kind);
    }
    var self = applyDefaults(schema, normalize(object));
    var oldSelf = old == null ? null : applyDefaults(schema, normalize(old));
    var out = new ArrayList<Violation>();
    walk(schema, self, oldSelf, old != null, "", out, listener);
    return out;
  }

  private void walk(Map<String, Object> schema, Object value, Object oldValue, boolean update, String path,
      List<Violation> out, Listener listener) {
    if (value == null) {
      return;
    }
    for (CrdRule rule : rulesByNode.getOrDefault(schema, List.of())) {
      if (rule.transition() && (!update || oldValue == null)) {
        continue;
      }
      var vars = new HashMap<String, Object>();
      vars.put("self", value);
      if (oldValue != null) {
        vars.put("oldSelf", oldValue);
      }
      try {
        Object result = program(rule).eval(vars);
        boolean accepted = Boolean.TRUE.equals(result);
        listener.evaluated(rule, accepted);
        if (!accepted) {
          out.add(new Violation(rule, path, null));
        }
      } catch (CelEvaluationException e) {
        listener.evaluated(rule, false);
        out.add(new Violation(rule, path, e.getMessage()));
      }
    }
    if (schema.get("properties") != null && value instanceof Map<?, ?> map) {
      var oldMap = oldValue instanceof Map<?, ?> m ? m : Map.of();
      for (var e : asMap(schema.get("properties")).entrySet()) {
        walk(asMap(e.getValue()), map.get(e.getKey()), oldMap.get(e.getKey()), update,
            path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out, listener);
      }
    }
    if (schema.get("items") != null && value instanceof List<?> list) {
      // Like the API server: elements of plain (atomic) lists are not correlated with old ones.
      for (int i = 0; i < list.size(); i++) {
        walk(asMap(schema.get("items")), list.get(i), null, update, path + "[" + i + "]", out, listener);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Object applyDefaults(Map<String, Object> schema, Object value) {
    if (value instanceof Map<?, ?> m && schema.get("properties") != null) {
      var map = (Map<String, Object>) m;
      for (var e : asMap(schema.get("properties")).entrySet()) {
        var propSchema = asMap(e.getValue());
        if (!map.containsKey(e.getKey()) && propSchema.containsKey("default")) {
          map.put(e.getKey(), normalize(propSchema.get("default")));
        }
        if (map.containsKey(e.getKey())) {
          map.put(e.getKey(), applyDefaults(propSchema, map.get(e.getKey())));
        }
      }
    } else if (value instanceof List<?> l && schema.get("items") != null) {
      var list = (List<Object>) l;
      list.replaceAll(x -> applyDefaults(asMap(schema.get("items")), x));
    }
    return value;
  }

  /** Deep mutable copy with CEL's number types: every integer becomes a Long (CEL int). */
  static Object normalize(Object o) {
    return switch (o) {
      case Map<?, ?> m -> {
        var copy = new LinkedHashMap<String, Object>();
        m.forEach((k, v) -> copy.put(String.valueOf(k), normalize(v)));
        yield copy;
      }
      case List<?> l -> {
        var copy = new ArrayList<Object>();
        l.forEach(x -> copy.add(normalize(x)));
        yield copy;
      }
      case Integer i -> i.longValue();
      case Short s -> s.longValue();
      case BigInteger b -> b.longValueExact();
      case null, default -> o;
    };
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> normalize(Map<String, Object> m) {
    return (Map<String, Object>) normalize((Object) m);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> asMap(Object o) {
    return (Map<String, Object>) o;
  }
}
