package dev.vpngw.dataplane.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Network namespaces and veth pairs built by a test and removed by {@link #close()}, in reverse
 * order, even when the test failed. Names carry a random suffix so concurrent tests (and leftovers
 * of a killed run) never collide. Only addresses from DEVELOPERS.md's ranges may be configured.
 */
public final class TestNetwork implements AutoCloseable {
  private final String tag;
  private final Deque<String> namespaces = new ArrayDeque<>();
  private final Deque<Process> processes = new ArrayDeque<>();
  private int vethCount;

  private TestNetwork(String tag) {
    this.tag = tag;
  }

  /** {@code prefix} is short (≤ 6 chars): interface names are limited to 15 bytes. */
  public static TestNetwork create(String prefix) {
    return new TestNetwork(prefix + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff)));
  }

  public String tag() {
    return tag;
  }

  /** Creates namespace {@code <tag>-<name>} with loopback up, returns its full name. */
  public String namespace(String name) {
    String ns = tag + "-" + name;
    run("ip", "netns", "add", ns);
    namespaces.push(ns);
    exec(ns, "ip", "link", "set", "lo", "up");
    return ns;
  }

  /**
   * Joins two namespaces with a veth pair; {@code cidrA}/{@code cidrB} like "198.18.0.1/30".
   * Interface names are returned as {ifA, ifB}.
   */
  public String[] veth(String nsA, String cidrA, String nsB, String cidrB) {
    // A counter, not a random suffix: random two-digit suffixes collided within one test (7 veths).
    // The tag's random part keeps concurrent networks apart; 10 + 2 + 1 chars fit IFNAMSIZ (15).
    String base = tag.substring(0, Math.min(tag.length(), 10)) + String.format("%02x", vethCount++);
    String ifA = base + "a";
    String ifB = base + "b";
    run("ip", "link", "add", ifA, "netns", nsA, "type", "veth", "peer", "name", ifB, "netns", nsB);
    exec(nsA, "ip", "addr", "add", cidrA, "dev", ifA);
    exec(nsB, "ip", "addr", "add", cidrB, "dev", ifB);
    exec(nsA, "ip", "link", "set", ifA, "up");
    exec(nsB, "ip", "link", "set", ifB, "up");
    return new String[] {ifA, ifB};
  }

  /** Runs a command inside a namespace and returns its stdout; fails on non-zero exit. */
  public String exec(String ns, String... command) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    full.addAll(List.of(command));
    return run(full.toArray(String[]::new));
  }

  /** Like {@link #exec} but returns the result instead of failing. */
  public Result tryExec(String ns, Duration timeout, String... command) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    full.addAll(List.of(command));
    return runProcess(timeout, full.toArray(String[]::new));
  }

  /** Starts a long-running process inside a namespace; it is killed on {@link #close()}. */
  public Process start(String ns, java.nio.file.Path log, String... command) {
    return start(ns, log, java.util.Map.of(), command);
  }

  public Process start(String ns, java.nio.file.Path log, java.util.Map<String, String> env, String... command) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    full.addAll(List.of(command));
    ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true);
    pb.environment().putAll(env);
    if (log != null) {
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    } else {
      pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    }
    try {
      Process p = pb.start();
      processes.push(p);
      return p;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + full, e);
    }
  }

  public record Result(int exitCode, String output) {}

  public static String run(String... command) {
    Result r = runProcess(Duration.ofSeconds(60), command);
    if (r.exitCode() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited " + r.exitCode() + ": " + r.output());
    }
    return r.output();
  }

  public static Result runProcess(Duration timeout, String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      // Drain while it runs: a command writing more than a pipe buffer (~64 kB) would block forever.
      var output = new java.util.concurrent.CompletableFuture<String>();
      Thread.ofVirtual().start(() -> {
        try {
          output.complete(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
          output.complete("(output unreadable: " + e + ")");
        }
      });
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        return new Result(-1, "timed out after " + timeout);
      }
      return new Result(p.exitValue(), output.get(10, TimeUnit.SECONDS));
    } catch (IOException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    while (!processes.isEmpty()) {
      Process p = processes.pop();
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
      try {
        if (!p.waitFor(3, TimeUnit.SECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly().waitFor(3, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    while (!namespaces.isEmpty()) {
      String ns = namespaces.pop();
      // Kill stragglers that still hold the namespace, then delete it (veths go with it).
      runProcess(Duration.ofSeconds(5), "ip", "netns", "pids", ns).output().lines()
          .filter(s -> s.matches("\\d+"))
          .forEach(pid -> runProcess(Duration.ofSeconds(2), "kill", "-9", pid));
      runProcess(Duration.ofSeconds(10), "ip", "netns", "del", ns);
    }
  }
}
