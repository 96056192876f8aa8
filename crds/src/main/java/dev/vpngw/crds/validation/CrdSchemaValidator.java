package dev.vpngw.crds.validation;

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
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Validates objects against our CRDs' openAPIV3Schema the way the API server does, for places
 * without one (the standalone data plane, {@code render -f}, tests): applies defaults, checks
 * types, required fields, enums, patterns, ranges, lengths and item counts, then runs every CEL
 * rule (x-kubernetes-validations) whose schema node is present — transition rules only on updates,
 * when the old object has the node too. Kubernetes' CEL extension functions (isCIDR, ip(), ...)
 * are not available here, so our rules use standard CEL only. Unknown fields are not checked here
 * (the API server prunes them; {@code ManifestSet} refuses them).
 */
public final class CrdSchemaValidator {

  /** Called for every CEL rule evaluated: whether it accepted the object. */
  public interface RuleListener {
    RuleListener NONE = (rule, accepted) -> {};

    void evaluated(CrdRule rule, boolean accepted);
  }

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final List<String> SHIPPED = List.of("virtualnetworkgateways.vpngw.dev-v1.yml",
      "localnetworkgateways.vpngw.dev-v1.yml", "connections.vpngw.dev-v1.yml");
  private static volatile CrdSchemaValidator shipped;

  private final Map<String, Map<String, Object>> schemaByKind = new LinkedHashMap<>();
  private final List<CrdRule> rules = new ArrayList<>();
  private final Map<Map<String, Object>, List<CrdRule>> rulesByNode = new IdentityHashMap<>();
  private final Map<CrdRule, CelRuntime.Program> programs = new ConcurrentHashMap<>();
  private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();
  private final Cel cel = CelFactory.standardCelBuilder()
      .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
      .addVar("self", SimpleType.DYN)
      .addVar("oldSelf", SimpleType.DYN)
      .build();

  private CrdSchemaValidator() {}

  /** The CRDs shipped in this jar (META-INF/fabric8/, written by the crd-generator). */
  public static CrdSchemaValidator shipped() {
    if (shipped == null) {
      synchronized (CrdSchemaValidator.class) {
        if (shipped == null) {
          var v = new CrdSchemaValidator();
          for (String name : SHIPPED) {
            try (InputStream in = CrdSchemaValidator.class.getResourceAsStream("/META-INF/fabric8/" + name)) {
              if (in == null) {
                throw new IllegalStateException("CRD " + name + " missing from the classpath (META-INF/fabric8)");
              }
              v.addCrd(asMap(YAML.readValue(in, Object.class)));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
          shipped = v;
        }
      }
    }
    return shipped;
  }

  /** The CRDs (*.yml) in a directory, e.g. the committed crds/generated/. */
  public static CrdSchemaValidator load(Path crdDir) throws IOException {
    var v = new CrdSchemaValidator();
    try (Stream<Path> files = Files.list(crdDir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted().toList()) {
        v.addCrd(asMap(YAML.readValue(f.toFile(), Object.class)));
      }
    }
    return v;
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
        var rule = new CrdRule(kind, path.isEmpty() ? "." : path, (String) v.get("rule"), (String) v.get("message"),
            (String) v.get("fieldPath"));
        rules.add(rule);
        here.add(rule);
      }
      rulesByNode.put(node, here);
    }
    if (node.get("properties") != null) {
      for (var e : asMap(node.get("properties")).entrySet()) {
        collect(kind, asMap(e.getValue()), path.isEmpty() ? e.getKey() : path + "." + e.getKey());
      }
    }
    if (node.get("items") != null) {
      collect(kind, asMap(node.get("items")), path + "[]");
    }
  }

  /** Whether a CRD for this kind is loaded. */
  public boolean knows(String kind) {
    return schemaByKind.containsKey(kind);
  }

  /** All CEL rules of all loaded CRDs. */
  public List<CrdRule> rules() {
    return List.copyOf(rules);
  }

  /** Parses and type-checks a rule; throws with CEL's message when it does not compile. */
  public CelRuntime.Program program(CrdRule rule) {
    return programs.computeIfAbsent(rule, r -> {
      try {
        CelAbstractSyntaxTree ast = cel.compile(r.expression()).getAst();
        return cel.createProgram(ast);
      } catch (CelValidationException | CelEvaluationException e) {
        throw new IllegalStateException("rule does not compile: " + r + ": " + e.getMessage(), e);
      }
    });
  }

  /** Validates a create (old == null) or an update; the object is not modified. */
  public List<SchemaViolation> validate(Map<String, Object> object, Map<String, Object> old) {
    return validate(object, old, RuleListener.NONE);
  }

  public List<SchemaViolation> validate(Map<String, Object> object, Map<String, Object> old, RuleListener listener) {
    String kind = String.valueOf(object.get("kind"));
    var schema = schemaByKind.get(kind);
    if (schema == null) {
      throw new IllegalArgumentException("no CRD for kind " + kind);
    }
    Object self = applyDefaults(schema, normalize(object));
    Object oldSelf = old == null ? null : applyDefaults(schema, normalize(old));
    var out = new ArrayList<SchemaViolation>();
    walk(schema, self, oldSelf, old != null, "", out, listener);
    return out;
  }

  private void walk(Map<String, Object> schema, Object value, Object oldValue, boolean update, String path,
      List<SchemaViolation> out, RuleListener listener) {
    if (value == null) {
      return;
    }
    int before = out.size();
    if (!checkOpenApi(schema, value, path, out)) {
      return; // wrong type: nothing below can be checked meaningfully
    }
    // Like a required-field error, a rule on this node would only fail confusingly when a field it
    // reads is missing; the OpenAPI violation already says what is wrong.
    boolean nodeIsValid = out.size() == before;
    for (CrdRule rule : nodeIsValid ? rulesByNode.getOrDefault(schema, List.of()) : List.<CrdRule>of()) {
      if (rule.transition() && (!update || oldValue == null)) {
        continue;
      }
      var vars = new HashMap<String, Object>();
      vars.put("self", value);
      if (oldValue != null) {
        vars.put("oldSelf", oldValue);
      }
      String where = rule.fieldPath() == null ? (path.isEmpty() ? "<root>" : path)
          : (path.isEmpty() ? rule.fieldPath().substring(1) : path + rule.fieldPath());
      try {
        boolean accepted = Boolean.TRUE.equals(program(rule).eval(vars));
        listener.evaluated(rule, accepted);
        if (!accepted) {
          out.add(new SchemaViolation(where, rule.message(), rule, null));
        }
      } catch (CelEvaluationException e) {
        listener.evaluated(rule, false);
        out.add(new SchemaViolation(where, rule.message() + " (rule could not be evaluated: " + e.getMessage() + ")",
            rule, e.getMessage()));
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

  /** The OpenAPI keywords our CRDs use. Returns false when the type is wrong. */
  private boolean checkOpenApi(Map<String, Object> schema, Object value, String path, List<SchemaViolation> out) {
    String type = (String) schema.get("type");
    String where = path.isEmpty() ? "<root>" : path;
    if (type != null && !hasType(type, value)) {
      out.add(new SchemaViolation(where, "Invalid value: " + describe(value) + ": must be of type " + type, null, null));
      return false;
    }
    if (schema.get("enum") instanceof List<?> allowed && !allowed.contains(value)) {
      out.add(new SchemaViolation(where, "Unsupported value: " + describe(value) + ": supported values: " + allowed, null, null));
    }
    if (value instanceof String s) {
      if (schema.get("pattern") instanceof String p
          && !patterns.computeIfAbsent(p, Pattern::compile).matcher(s).find()) {
        out.add(new SchemaViolation(where, "Invalid value: " + describe(value) + ": should match '" + p + "'", null, null));
      }
      if (schema.get("maxLength") instanceof Number max && s.codePointCount(0, s.length()) > max.longValue()) {
        out.add(new SchemaViolation(where, "Too long: may not be more than " + max.longValue() + " characters", null, null));
      }
      if (schema.get("minLength") instanceof Number min && s.codePointCount(0, s.length()) < min.longValue()) {
        out.add(new SchemaViolation(where, "Invalid value: " + describe(value) + ": should be at least " + min.longValue()
            + " characters long", null, null));
      }
    }
    if (value instanceof Number n) {
      var v = new BigDecimal(n.toString());
      if (schema.get("minimum") instanceof Number min && v.compareTo(new BigDecimal(min.toString())) < 0) {
        out.add(new SchemaViolation(where, "Invalid value: " + n + ": should be greater than or equal to "
            + plain(min), null, null));
      }
      if (schema.get("maximum") instanceof Number max && v.compareTo(new BigDecimal(max.toString())) > 0) {
        out.add(new SchemaViolation(where, "Invalid value: " + n + ": should be less than or equal to " + plain(max),
            null, null));
      }
    }
    if (value instanceof List<?> l) {
      if (schema.get("maxItems") instanceof Number max && l.size() > max.longValue()) {
        out.add(new SchemaViolation(where, "Too many: " + l.size() + ": must have at most " + max.longValue() + " items",
            null, null));
      }
      if (schema.get("minItems") instanceof Number min && l.size() < min.longValue()) {
        out.add(new SchemaViolation(where, "Invalid value: " + l.size() + " items: should have at least "
            + min.longValue() + " items", null, null));
      }
    }
    if (value instanceof Map<?, ?> m && schema.get("required") instanceof List<?> required) {
      for (Object r : required) {
        if (m.get(String.valueOf(r)) == null) {
          out.add(new SchemaViolation(path.isEmpty() ? String.valueOf(r) : path + "." + r, "Required value", null, null));
        }
      }
    }
    return true;
  }

  private static boolean hasType(String type, Object value) {
    return switch (type) {
      case "object" -> value instanceof Map<?, ?>;
      case "array" -> value instanceof List<?>;
      case "string" -> value instanceof String;
      case "boolean" -> value instanceof Boolean;
      case "integer" -> value instanceof Long;
      case "number" -> value instanceof Number;
      default -> true;
    };
  }

  private static String plain(Number n) {
    return new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
  }

  private static String describe(Object value) {
    return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
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

  /** Deep mutable copy with CEL's value types: integers become Long (CEL int), decimals Double. */
  private static Object normalize(Object o) {
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
      case Byte b -> b.longValue();
      case BigInteger b -> b.bitLength() < 64 ? (Object) b.longValue() : (Object) b.doubleValue();
      case BigDecimal d -> d.doubleValue();
      case Float f -> f.doubleValue();
      case null, default -> o;
    };
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object o) {
    return (Map<String, Object>) o;
  }
}
