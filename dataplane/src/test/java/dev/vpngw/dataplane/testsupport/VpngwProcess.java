package dev.vpngw.dataplane.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The vpngw program ({@code dev.vpngw.dataplane.cli.VpngwCommand}) as a separate JVM inside a test
 * namespace: exactly how the demo and a pod run it, so its TUN, sockets and kernel routes live in
 * that namespace and nowhere else.
 */
public final class VpngwProcess {
  private VpngwProcess() {}

  public static List<String> javaCommand(String... args) {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"),
        "dev.vpngw.dataplane.cli.VpngwCommand"));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** Starts {@code vpngw <args>} in {@code ns}; stopped (SIGTERM) by {@link TestNetwork#close()}. */
  public static Process start(TestNetwork net, String ns, Path log, String... args) {
    return net.start(ns, log, javaCommand(args).toArray(String[]::new));
  }

  /** Like {@link #start(TestNetwork, String, Path, String...)} with extra environment variables. */
  public static Process start(TestNetwork net, String ns, Path log, java.util.Map<String, String> env, String... args) {
    return net.start(ns, log, env, javaCommand(args).toArray(String[]::new));
  }

  /** Runs a short {@code vpngw} command (status, reset …) in {@code ns}. */
  public static TestNetwork.Result run(TestNetwork net, String ns, String... args) {
    return net.tryExec(ns, Duration.ofSeconds(30), javaCommand(args).toArray(String[]::new));
  }
}
