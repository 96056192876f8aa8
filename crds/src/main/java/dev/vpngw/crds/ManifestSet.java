package dev.vpngw.crds;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vpngw.crds.v1alpha1.Api;
import dev.vpngw.crds.v1alpha1.Connection;
import dev.vpngw.crds.v1alpha1.LocalNetworkGateway;
import dev.vpngw.crds.v1alpha1.VirtualNetworkGateway;
import dev.vpngw.crds.validation.CrdSchemaValidator;
import dev.vpngw.crds.validation.Finding;
import dev.vpngw.crds.validation.SchemaViolation;
import dev.vpngw.crds.validation.Topology;
import dev.vpngw.crds.validation.TopologyValidator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Typed resources read from YAML manifests: files or directories (recursively *.yaml, *.yml,
 * *.json; names starting with "." skipped, so mounted ConfigMap/Secret volumes work), each file
 * one or more "---"-separated documents. Used by the data plane ({@code run -f dir}) and the
 * operator ({@code render -f}). Our kinds are checked against the shipped CRD schemas and CEL
 * rules ({@link CrdSchemaValidator}), as the API server would. Every problem (parse error,
 * unknown kind, schema or rule violation, unknown field, duplicate) is collected and reported
 * together, naming file, document index and field. Cross-resource checks are separate:
 * {@link #validate()}.
 */
public final class ManifestSet {

  private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("^---(\\s.*)?$");
  private static final String SECRET_API_VERSION = "v1";
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

  private final List<VirtualNetworkGateway> virtualNetworkGateways;
  private final List<LocalNetworkGateway> localNetworkGateways;
  private final List<Connection> connections;
  private final List<Secret> secrets;
  private final Map<HasMetadata, ManifestProblem> origins;

  private ManifestSet(Builder b) {
    this.virtualNetworkGateways = List.copyOf(b.vngs);
    this.localNetworkGateways = List.copyOf(b.lngs);
    this.connections = List.copyOf(b.conns);
    this.secrets = List.copyOf(b.secrets);
    this.origins = b.origins;
  }

  /** Loads files and directories; resources without a namespace get {@link Topology#DEFAULT_NAMESPACE}. */
  public static ManifestSet load(Path... paths) throws ManifestException {
    return load(Topology.DEFAULT_NAMESPACE, Arrays.asList(paths));
  }

  /** Loads files and directories; resources without a namespace get {@code defaultNamespace}. */
  public static ManifestSet load(String defaultNamespace, List<Path> paths) throws ManifestException {
    var b = new Builder(defaultNamespace);
    for (Path p : paths) {
      for (Path f : manifestFiles(p, b)) {
        try {
          b.addSource(f.toString(), Files.readString(f));
        } catch (IOException e) {
          b.problem(f.toString(), 0, 0, "cannot read: " + e.getMessage());
        }
      }
    }
    return b.build();
  }

  /** Parses YAML text (e.g. stdin); {@code source} names it in problems. */
  public static ManifestSet parse(String source, String yaml, String defaultNamespace) throws ManifestException {
    var b = new Builder(defaultNamespace);
    b.addSource(source, yaml);
    return b.build();
  }

  private static List<Path> manifestFiles(Path p, Builder b) {
    if (Files.isRegularFile(p)) {
      return List.of(p);
    }
    if (!Files.isDirectory(p)) {
      b.problem(p.toString(), 0, 0, "no such file or directory");
      return List.of();
    }
    try (Stream<Path> s = Files.walk(p)) {
      return s.filter(f -> p.relativize(f).toString().isEmpty() || !hidden(p.relativize(f)))
          .filter(Files::isRegularFile)
          .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml") || f.toString().endsWith(".json"))
          .sorted()
          .toList();
    } catch (IOException e) {
      b.problem(p.toString(), 0, 0, "cannot list directory: " + e.getMessage());
      return List.of();
    }
  }

  private static boolean hidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  public List<VirtualNetworkGateway> virtualNetworkGateways() {
    return virtualNetworkGateways;
  }

  public List<LocalNetworkGateway> localNetworkGateways() {
    return localNetworkGateways;
  }

  public List<Connection> connections() {
    return connections;
  }

  public List<Secret> secrets() {
    return secrets;
  }

  /** Everything as a {@link Topology} for the validator or for rendering. */
  public Topology topology() {
    return new Topology(virtualNetworkGateways, localNetworkGateways, connections, secrets);
  }

  /** Runs the {@link TopologyValidator} over these manifests. */
  public List<Finding> validate() {
    return new TopologyValidator().validate(topology());
  }

  /**
   * This set when the {@link TopologyValidator} finds nothing; otherwise a ManifestException
   * listing each finding at the file and document of the resource concerned (for a standalone
   * gateway's startup error).
   */
  public ManifestSet requireValid() throws ManifestException {
    List<Finding> findings = validate();
    if (findings.isEmpty()) {
      return this;
    }
    var problems = new ArrayList<ManifestProblem>();
    for (Finding f : findings) {
      var where = origins.entrySet().stream()
          .filter(e -> f.concerns(e.getKey().getKind(), Topology.namespaceOf(e.getKey()), Topology.nameOf(e.getKey())))
          .map(Map.Entry::getValue).findFirst().orElse(new ManifestProblem("?", 0, 0, ""));
      problems.add(new ManifestProblem(where.source(), where.document(), where.line(),
          f.resourceKind() + " " + f.resourceName() + ": " + f.reason() + ": " + f.message()));
    }
    throw new ManifestException(problems);
  }

  /** Where a resource of this set was read: source, document index and line (message empty). */
  public java.util.Optional<ManifestProblem> originOf(HasMetadata resource) {
    return java.util.Optional.ofNullable(origins.get(resource));
  }

  /** Accumulates resources and problems while reading sources. */
  private static final class Builder {
    final String defaultNamespace;
    final List<VirtualNetworkGateway> vngs = new ArrayList<>();
    final List<LocalNetworkGateway> lngs = new ArrayList<>();
    final List<Connection> conns = new ArrayList<>();
    final List<Secret> secrets = new ArrayList<>();
    final List<ManifestProblem> problems = new ArrayList<>();
    final Set<String> seen = new HashSet<>();
    final Map<HasMetadata, ManifestProblem> origins = new java.util.IdentityHashMap<>();

    Builder(String defaultNamespace) {
      this.defaultNamespace = defaultNamespace;
    }

    void problem(String source, int document, int line, String message) {
      problems.add(new ManifestProblem(source, document, line, message));
    }

    ManifestSet build() throws ManifestException {
      if (!problems.isEmpty()) {
        throw new ManifestException(problems);
      }
      return new ManifestSet(this);
    }

    void addSource(String source, String text) {
      String[] lines = text.split("\r?\n", -1);
      var doc = new StringBuilder();
      int document = 1;
      int startLine = 1;
      for (int i = 0; i < lines.length; i++) {
        if (DOCUMENT_SEPARATOR.matcher(lines[i]).matches()) {
          addDocument(source, document, startLine, doc.toString());
          document++;
          startLine = i + 2;
          doc.setLength(0);
        } else {
          doc.append(lines[i]).append('\n');
        }
      }
      addDocument(source, document, startLine, doc.toString());
    }

    private void addDocument(String source, int document, int line, String text) {
      JsonNode node;
      try {
        node = MAPPER.readTree(text);
      } catch (JsonProcessingException e) {
        var loc = e.getLocation();
        int at = loc == null || loc.getLineNr() < 1 ? line : line + loc.getLineNr() - 1;
        String msg = String.valueOf(e.getOriginalMessage()).lines().map(String::strip).filter(l -> !l.isEmpty())
            .filter(l -> !l.startsWith("in 'reader'") && !l.equals("^")).findFirst().orElse("syntax error");
        problem(source, document, line, "not valid YAML near line " + at + ": " + msg);
        return;
      }
      if (node == null || node.isMissingNode() || node.isNull()) {
        return; // empty document (only comments or nothing between separators)
      }
      if (!(node instanceof ObjectNode object)) {
        problem(source, document, line, "expected a Kubernetes object (a mapping), found " + node.getNodeType());
        return;
      }
      String apiVersion = object.path("apiVersion").asText("");
      String kind = object.path("kind").asText("");
      if (apiVersion.isEmpty() || kind.isEmpty()) {
        problem(source, document, line, "apiVersion and kind are required");
        return;
      }
      Class<? extends HasMetadata> type = typeOf(apiVersion, kind);
      if (type == null) {
        problem(source, document, line, "unknown kind " + kind + " (apiVersion " + apiVersion + "); expected "
            + VirtualNetworkGateway.KIND + ", " + LocalNetworkGateway.KIND + " or " + Connection.KIND + " ("
            + Api.API_VERSION + ") or Secret (v1)");
        return;
      }
      if (type != Secret.class) {
        var violations = CrdSchemaValidator.shipped().validate(MAPPER.convertValue(object, MAP), null);
        if (!violations.isEmpty()) {
          for (SchemaViolation v : violations) {
            problem(source, document, line, kind + " " + nameIn(object) + ": " + v.path() + ": " + v.message());
          }
          return;
        }
      }
      HasMetadata resource;
      try {
        resource = MAPPER.treeToValue(object, type);
      } catch (JsonProcessingException e) {
        problem(source, document, line, kind + " " + nameIn(object) + ": " + describe(e));
        return;
      }
      if (resource.getMetadata() == null || resource.getMetadata().getName() == null
          || resource.getMetadata().getName().isEmpty()) {
        problem(source, document, line, kind + ": metadata.name is required");
        return;
      }
      ObjectMeta meta = resource.getMetadata();
      if (meta.getNamespace() == null || meta.getNamespace().isEmpty()) {
        meta.setNamespace(defaultNamespace);
      }
      String id = kind + "/" + meta.getNamespace() + "/" + meta.getName();
      if (!seen.add(id)) {
        problem(source, document, line, kind + " " + meta.getName() + " in namespace " + meta.getNamespace()
            + " is defined more than once");
        return;
      }
      origins.put(resource, new ManifestProblem(source, document, line, ""));
      switch (resource) {
        case VirtualNetworkGateway v -> vngs.add(v);
        case LocalNetworkGateway l -> lngs.add(l);
        case Connection c -> conns.add(c);
        case Secret s -> secrets.add(s);
        default -> throw new IllegalStateException("unexpected type " + resource.getClass());
      }
    }

    private static Class<? extends HasMetadata> typeOf(String apiVersion, String kind) {
      if (apiVersion.equals(Api.API_VERSION)) {
        return switch (kind) {
          case VirtualNetworkGateway.KIND -> VirtualNetworkGateway.class;
          case LocalNetworkGateway.KIND -> LocalNetworkGateway.class;
          case Connection.KIND -> Connection.class;
          default -> null;
        };
      }
      return apiVersion.equals(SECRET_API_VERSION) && kind.equals("Secret") ? Secret.class : null;
    }

    private static String nameIn(ObjectNode object) {
      String name = object.path("metadata").path("name").asText("");
      return name.isEmpty() ? "(unnamed)" : name;
    }

    /** "spec.ipsecPolicies[0].ipsecEncryption: ..." from a Jackson error, without echoing secret data. */
    private static String describe(JsonProcessingException e) {
      String path = e instanceof JsonMappingException m ? path(m.getPath()) : "";
      String what;
      if (e instanceof UnrecognizedPropertyException u) {
        what = "unknown field" + (u.getKnownPropertyIds() == null ? ""
            : "; known fields: " + u.getKnownPropertyIds().stream().map(String::valueOf).sorted()
                .collect(Collectors.joining(", ")));
      } else if (e instanceof InvalidFormatException f && f.getTargetType() != null && f.getTargetType().isEnum()) {
        what = "'" + f.getValue() + "' is not one of " + Arrays.toString(f.getTargetType().getEnumConstants());
      } else if (path.startsWith("data") || path.startsWith("stringData")) {
        what = "invalid value";
      } else {
        String msg = e.getOriginalMessage();
        what = msg == null ? e.getClass().getSimpleName() : msg.lines().findFirst().orElse(msg);
      }
      return path.isEmpty() ? what : path + ": " + what;
    }

    private static String path(List<JsonMappingException.Reference> refs) {
      var sb = new StringBuilder();
      for (var r : refs) {
        if (r.getFieldName() != null) {
          if (!sb.isEmpty()) {
            sb.append('.');
          }
          sb.append(r.getFieldName());
        } else if (r.getIndex() >= 0) {
          sb.append('[').append(r.getIndex()).append(']');
        }
      }
      return sb.toString();
    }
  }
}
