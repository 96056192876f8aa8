package dev.vpngw.dataplane.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.stream.Stream;

/**
 * A digest over the manifest files' names and contents, compared periodically to notice changes.
 * Polling rather than WatchService because Kubernetes updates mounted ConfigMaps/Secrets by
 * swapping a symlink ("..data"), which directory watches report unreliably.
 */
final class ManifestFingerprint {
  private ManifestFingerprint() {}

  static String of(List<Path> paths) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    for (Path p : paths) {
      for (Path f : files(p)) {
        md.update(f.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try {
          md.update(Files.readAllBytes(f));
        } catch (IOException e) {
          md.update((byte) 0); // unreadable now; a later read shows the change
        }
      }
    }
    return java.util.HexFormat.of().formatHex(md.digest());
  }

  private static List<Path> files(Path p) {
    if (!Files.isDirectory(p)) {
      return List.of(p);
    }
    try (Stream<Path> s = Files.walk(p)) {
      return s.filter(f -> !p.relativize(f).toString().startsWith("."))
          .filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }
}
