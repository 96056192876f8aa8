package dev.vpngw.dataplane.testsupport;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/** Enforces {@link RequiresHost}: skip locally, fail under {@code CI=true}. */
public final class HostRequirementsExtension implements BeforeAllCallback, BeforeEachCallback {

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getTestClass().map(c -> c.getAnnotation(RequiresHost.class)).ifPresent(HostRequirementsExtension::enforce);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    context.getTestMethod().map(m -> m.getAnnotation(RequiresHost.class)).ifPresent(HostRequirementsExtension::enforce);
  }

  static void enforce(RequiresHost req) {
    List<String> missing = missing(req.netAdmin(), req.binaries());
    if (missing.isEmpty()) {
      return;
    }
    String message = "host lacks: " + String.join(", ", missing);
    if (isCi()) {
      throw new AssertionError("CI=true and " + message + " (.ci/run must install it)");
    }
    throw new TestAbortedException("skipped, " + message + " (set up by .ci/run; run as root)");
  }

  /** Lists what is missing, empty when the host can run the test. */
  public static List<String> missing(boolean netAdmin, String... binaries) {
    List<String> missing = new ArrayList<>();
    if (netAdmin) {
      if (!isRoot()) {
        missing.add("root");
      }
      if (!Files.exists(Path.of("/dev/net/tun"))) {
        missing.add("/dev/net/tun");
      }
      if (which("ip").isEmpty()) {
        missing.add("ip (iproute2)");
      } else if (!Files.isDirectory(Path.of("/proc/self/ns")) || !Files.exists(Path.of("/proc/self/ns/net"))) {
        missing.add("network namespaces");
      }
    }
    for (String b : binaries) {
      if (which(b).isEmpty()) {
        missing.add(b);
      }
    }
    return missing;
  }

  public static boolean isCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  public static Optional<Path> which(String binary) {
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/lib/ipsec:/usr/libexec/ipsec";
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path p = Path.of(dir, binary);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
