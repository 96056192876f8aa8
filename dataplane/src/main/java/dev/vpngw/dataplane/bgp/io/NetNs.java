package dev.vpngw.dataplane.bgp.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A named network namespace (/var/run/netns/NAME) and one platform thread that joined it with
 * setns(2). Sockets created through {@link #call} live in that namespace for their whole life and
 * can then be used from any thread. Minimal on purpose; a shared NetNs helper replaces it later.
 */
public final class NetNs implements AutoCloseable {
  private static final int CLONE_NEWNET = 0x40000000;
  private static final int O_RDONLY = 0;
  private static final int O_CLOEXEC = 0x80000;
  private final String name;
  private final ExecutorService thread;

  public interface IoCallable<T> {
    T call() throws IOException;
  }

  private NetNs(String name) {
    this.name = name;
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "netns-" + name);
      t.setDaemon(true);
      return t;
    });
  }

  /** Joins {@code name} on a dedicated thread; fails naming the namespace if it cannot. */
  public static NetNs open(String name) throws IOException {
    Path p = Path.of("/var/run/netns", name);
    if (!Files.exists(p)) {
      throw new IOException("network namespace " + name + " does not exist (" + p + ")");
    }
    NetNs ns = new NetNs(name);
    try {
      ns.thread.submit(() -> {
        join(p);
        return null;
      }).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted joining " + name, e);
    } catch (ExecutionException e) {
      ns.close();
      throw new IOException("cannot join network namespace " + name + ": " + e.getCause().getMessage(), e.getCause());
    }
    return ns;
  }

  private static void join(Path path) throws IOException {
    Linker linker = Linker.nativeLinker();
    SymbolLookup libc = linker.defaultLookup();
    Linker.Option errno = Linker.Option.captureCallState("errno");
    var stateLayout = Linker.Option.captureStateLayout();
    MethodHandle open = linker.downcallHandle(libc.find("open").orElseThrow(),
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), errno);
    MethodHandle setns = linker.downcallHandle(libc.find("setns").orElseThrow(),
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), errno);
    MethodHandle close = linker.downcallHandle(libc.find("close").orElseThrow(),
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    var errnoHandle = stateLayout.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(stateLayout);
      MemorySegment cpath = arena.allocateFrom(path.toString());
      int fd = (int) open.invokeExact(state, cpath, O_RDONLY | O_CLOEXEC);
      if (fd < 0) {
        throw new IOException("open " + path + " failed, errno " + (int) errnoHandle.get(state, 0L));
      }
      int rc = (int) setns.invokeExact(state, fd, CLONE_NEWNET);
      int err = (int) errnoHandle.get(state, 0L);
      int ignored = (int) close.invokeExact(fd);
      if (rc != 0) {
        throw new IOException("setns(" + path + ") failed, errno " + err);
      }
    } catch (IOException e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException("setns via FFM failed: " + t, t);
    }
  }

  public String name() {
    return name;
  }

  /** Runs {@code task} on the namespace thread (e.g. to open a socket there). */
  public <T> T call(IoCallable<T> task) throws IOException {
    Future<T> f = thread.submit(task::call);
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted in netns " + name, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException("in netns " + name + ": " + e.getCause(), e.getCause());
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
