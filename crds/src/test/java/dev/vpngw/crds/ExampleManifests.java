package dev.vpngw.crds;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The manifests under examples/, as plain documents. */
public final class ExampleManifests {
  private ExampleManifests() {}

  public record Document(Path file, int index, Map<String, Object> content) {
    public String apiVersion() {
      return String.valueOf(content.get("apiVersion"));
    }

    public String kind() {
      return String.valueOf(content.get("kind"));
    }

    @Override
    public String toString() {
      var meta = content.get("metadata") instanceof Map<?, ?> m ? m.get("name") : "?";
      return examplesDir().relativize(file) + "#" + index + " " + kind() + "/" + meta;
    }
  }

  public static Path examplesDir() {
    return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().resolve("../examples").normalize();
  }

  /** Topology directories: examples/<topology>/. */
  public static List<Path> topologies() throws IOException {
    try (Stream<Path> s = Files.list(examplesDir())) {
      return s.filter(Files::isDirectory).sorted().toList();
    }
  }

  @SuppressWarnings("unchecked")
  public static List<Document> all() throws IOException {
    var out = new ArrayList<Document>();
    ObjectReader reader = new ObjectMapper(new YAMLFactory()).readerFor(Map.class);
    List<Path> files;
    try (Stream<Path> s = Files.walk(examplesDir())) {
      files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
    }
    for (Path f : files) {
      try (var it = reader.<Map<String, Object>>readValues(f.toFile())) {
        int i = 0;
        while (it.hasNext()) {
          Map<String, Object> doc = it.next();
          if (doc != null) {
            out.add(new Document(f, i, doc));
          }
          i++;
        }
      }
    }
    return out;
  }
}
