package dev.vpngw.dataplane.net;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Runs code inside a named network namespace ({@code ip netns add NAME}) without forking: a fresh
 * platform thread opens {@code /var/run/netns/NAME} and calls setns(2) on itself, then runs the
 * task. setns affects only the calling thread, so the rest of the JVM stays where it was.
 *
 * <p>What this is for: sockets and TUN devices belong to the namespace they were created in and
 * keep it for life, whichever thread uses them later. So create the {@code DatagramChannel},
 * {@code ServerSocket} or {@link dev.vpngw.dataplane.tun.TunDevice} inside {@code runIn} and use it
 * from any thread afterwards. One JVM can thereby run several gateways (tests), and IKE/BGP code
 * can bind sockets in a gateway namespace the same way.
 *
 * <p>Not for: spawning processes (use {@code ip netns exec}); code that starts threads expecting
 * them to be in the namespace (new threads inherit the creator's namespace on Linux, but JDK
 * internal threads may already exist elsewhere).
 */
public final class NetNs {
  private static final Path NETNS_DIR = Path.of("/var/run/netns");

  private NetNs() {}

  public static <T> T runIn(String namespace, Callable<T> task) {
    Path nsPath = NETNS_DIR.resolve(namespace);
    if (namespace.contains("/") || !Files.exists(nsPath)) {
      throw new IllegalArgumentException("network namespace '" + namespace + "' not found under " + NETNS_DIR);
    }
    FutureTask<T> future = new FutureTask<>(() -> {
      int fd = Libc.open(nsPath.toString(), Libc.O_RDONLY | Libc.O_CLOEXEC);
      if (fd < 0) {
        throw new IllegalStateException("open " + nsPath + " failed, errno " + Libc.Errno.last());
      }
      try {
        if (Libc.setns(fd, Libc.CLONE_NEWNET) != 0) {
          throw new IllegalStateException("setns(" + namespace + ") failed, errno " + Libc.Errno.last());
        }
      } finally {
        Libc.close(fd);
      }
      return task.call();
    });
    Thread thread = Thread.ofPlatform().name("netns-" + namespace).daemon().unstarted(future);
    thread.start();
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running in netns " + namespace, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("task in netns " + namespace + " failed: " + cause, cause);
    }
  }

  /** The inode of a thread's current network namespace, e.g. to check that setns took effect. */
  public static String currentNamespaceId() {
    try {
      return Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
