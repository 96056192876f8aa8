package dev.vpngw.operator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The repository's examples/ directories, found from the module directory. */
public final class Examples {
  private Examples() {}

  public static Path repoRoot() {
    String configured = System.getProperty("vpngw.repo.root");
    Path p = configured != null && !configured.isBlank() ? Path.of(configured) : Path.of("..");
    return p.toAbsolutePath().normalize();
  }

  public static Path examples() {
    return repoRoot().resolve("examples");
  }

  public static List<String> names() {
    try (Stream<Path> s = Files.list(examples())) {
      return s.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
