package dev.vpngw.dataplane.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares text with a committed file under src/test/resources/golden/; {@code -Dgolden.update=true}
 * rewrites the files instead (review the git diff before committing).
 */
public final class Golden {
  private Golden() {}

  public static Path moduleDir() {
    return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
  }

  public static Path examplesDir() {
    return moduleDir().resolve("../examples").normalize();
  }

  public static void assertMatches(String relative, String actual) throws IOException {
    Path file = moduleDir().resolve("src/test/resources/golden").resolve(relative);
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, actual);
      return;
    }
    assertThat(file).as("golden file %s missing; run with -Dgolden.update=true", file).exists();
    assertThat(actual).as("output differs from %s (regenerate with -Dgolden.update=true)", file)
        .isEqualTo(Files.readString(file));
  }
}
