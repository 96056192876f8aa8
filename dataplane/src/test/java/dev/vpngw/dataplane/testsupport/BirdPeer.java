package dev.vpngw.dataplane.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real BIRD 2 daemon in a test namespace: {@code bird -f -c conf -s ctl -P pid} started through
 * {@link TestNetwork} (so it dies with the network), queried with {@code birdc -s ctl}. Each
 * instance has its own directory for config, control socket, pid file and log.
 */
public final class BirdPeer implements AutoCloseable {
  private static final Pattern PREFIX = Pattern.compile("^(\\d+\\.\\d+\\.\\d+\\.\\d+/\\d+)\\s");
  private final TestNetwork net;
  private final String ns;
  private final Path dir;
  private Process process;
  private long pid = -1;

  private BirdPeer(TestNetwork net, String ns, Path dir) {
    this.net = net;
    this.ns = ns;
    this.dir = dir;
  }

  /** Writes {@code config} and starts BIRD in {@code ns}; returns once its control socket answers. */
  public static BirdPeer start(TestNetwork net, String ns, Path dir, String config, String... extraArgs) {
    BirdPeer b = new BirdPeer(net, ns, dir);
    b.writeConfig(config);
    b.launch(extraArgs);
    return b;
  }

  public void writeConfig(String config) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("bird.conf"), config.replace("@LOG@", dir.resolve("bird.log").toString()));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write BIRD config in " + dir, e);
    }
  }

  /** (Re)starts the daemon with the current config; {@code -R} asks for graceful-restart recovery. */
  public void launch(String... extraArgs) {
    List<String> cmd = new ArrayList<>(List.of("bird", "-f", "-c", dir.resolve("bird.conf").toString(), "-s", ctl(), "-P",
        dir.resolve("bird.pid").toString()));
    cmd.addAll(List.of(extraArgs));
    try {
      Files.deleteIfExists(dir.resolve("bird.pid"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    process = net.start(ns, dir.resolve("bird.out"), cmd.toArray(String[]::new));
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("bird exited " + process.exitValue() + ": " + read(dir.resolve("bird.out")));
      }
      if (Files.exists(Path.of(ctl())) && TestNetwork.runProcess(Duration.ofSeconds(3), "birdc", "-s", ctl(), "show", "status").exitCode() == 0) {
        pid = process.pid(); // ip netns exec execs bird, so the process is BIRD itself
        return;
      }
      sleep(20);
    }
    throw new IllegalStateException("bird control socket did not come up: " + read(dir.resolve("bird.out")));
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (IOException e) {
      return "";
    }
  }

  public String ctl() {
    return dir.resolve("bird.ctl").toString();
  }

  public Path dir() {
    return dir;
  }

  public long pid() {
    return pid;
  }

  /** Runs a birdc command and returns its output. */
  public String birdc(String... command) {
    List<String> cmd = new ArrayList<>(List.of("birdc", "-s", ctl()));
    cmd.addAll(List.of(command));
    // Output goes through a file: "show route" of 10,000 prefixes would fill a pipe read after exit.
    try {
      Path out = Files.createTempFile(dir, "birdc", ".out");
      try {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException("birdc " + String.join(" ", command) + " timed out");
        }
        String text = Files.readString(out);
        if (p.exitValue() != 0) {
          throw new IllegalStateException("birdc " + String.join(" ", command) + " exited " + p.exitValue() + ": " + text);
        }
        return text;
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run birdc", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Prefixes BIRD has from {@code protocol} (its "show route protocol" table). */
  public Set<String> routesFrom(String protocol) {
    return prefixes(birdc("show", "route", "protocol", protocol));
  }

  /** Every prefix in BIRD's table. */
  public Set<String> routes() {
    return prefixes(birdc("show", "route"));
  }

  public int routeCount() {
    Matcher m = Pattern.compile("(\\d+) of (\\d+) routes").matcher(birdc("show", "route", "count"));
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }

  static Set<String> prefixes(String out) {
    Set<String> s = new LinkedHashSet<>();
    for (String line : out.split("\n")) {
      Matcher m = PREFIX.matcher(line);
      if (m.find()) {
        s.add(m.group(1));
      }
    }
    return s;
  }

  public String protocolDetails(String protocol) {
    return birdc("show", "protocols", "all", protocol);
  }

  public boolean established(String protocol) {
    return birdc("show", "protocols", protocol).contains("Established");
  }

  public void signal(String signal) {
    TestNetwork.run("kill", "-" + signal, Long.toString(pid));
  }

  /** SIGKILL, as a crash: the kernel closes BIRD's sockets, no NOTIFICATION is sent. */
  public void crash() {
    signal("KILL");
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public void stop() {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    stop();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A BIRD config with one eBGP session toward the gateway and static routes to announce. */
  public static String config(String routerId, String local, long localAs, String neighbor, long neighborAs, boolean passive,
      List<String> announce, String bgpExtra) {
    StringBuilder c = new StringBuilder();
    c.append("log \"@LOG@\" all;\n");
    c.append("router id ").append(routerId).append(";\n");
    c.append("protocol device { scan time 1; }\n");
    c.append("protocol static st4 {\n  ipv4;\n");
    for (String p : announce) {
      c.append("  route ").append(p).append(" blackhole;\n");
    }
    c.append("}\n");
    c.append(bgp("vpngw", local, localAs, neighbor, neighborAs, passive, bgpExtra));
    return c.toString();
  }

  public static String bgp(String name, String local, long localAs, String neighbor, long neighborAs, boolean passive, String extra) {
    return "protocol bgp " + name + " {\n"
        + "  local " + local + " as " + localAs + ";\n"
        + "  neighbor " + neighbor + " as " + neighborAs + ";\n"
        + "  passive " + (passive ? "on" : "off") + ";\n"
        + "  hold time 6;\n  keepalive time 2;\n  connect delay time 1;\n  connect retry time 2;\n  error wait time 1, 4;\n"
        + extra
        + (extra.contains("ipv4 {") ? "" : "  ipv4 { import all; export all; };\n")
        + "}\n";
  }
}
