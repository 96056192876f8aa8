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

  /**
   * GET {@code path} ("/status", "/metrics") from the admin endpoint on 127.0.0.1:{@code port} in
   * {@code ns}: the same body `vpngw status --json` prints, without starting a JVM per poll (which
   * takes seconds on a loaded machine). Empty while the endpoint is not up yet.
   */
  public static String admin(TestNetwork net, String ns, int port, String path) {
    return net.tryExec(ns, Duration.ofSeconds(10), "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + port
        + "; printf 'GET " + path + " HTTP/1.0\\r\\n\\r\\n' >&3; cat <&3").output();
  }

  /**
   * Waits until {@code destination} is routed into the gateway's TUN (vpngw0) in {@code ns}: status
   * says Connected first, the supervisor's next tick (≤ 250 ms) installs the site's routes.
   */
  public static void awaitTunnelRoute(TestNetwork net, String ns, String destination) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!net.tryExec(ns, Duration.ofSeconds(5), "ip", "route", "get", destination).output().contains("dev vpngw0")) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(destination + " not routed into vpngw0 in " + ns + " after 10 s");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** Runs a short {@code vpngw} command (status, reset …) in {@code ns}. */
  public static TestNetwork.Result run(TestNetwork net, String ns, String... args) {
    return net.tryExec(ns, Duration.ofSeconds(30), javaCommand(args).toArray(String[]::new));
  }
}
