package dev.vpngw.dataplane.testsupport;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Opens sockets (or TUN devices) inside a named network namespace from the test JVM: a fresh
 * platform thread calls setns(2) on {@code /var/run/netns/<ns>} and runs the callable there. A
 * socket keeps the namespace it was created in for its whole life, so the test can then use it
 * from any thread while the JVM itself stays in the root namespace and never sends traffic there.
 *
 * <p>This is the vpngw approach to "the data plane under test lives in a netns": no forked JVM,
 * state is asserted in-process. (The product's {@code run} command is started with
 * {@code ip netns exec} by the demo instead.) The thread is discarded afterwards because its
 * namespace no longer matches the rest of the JVM.
 */
public final class NetNamespace {
  private static final int CLONE_NEWNET = 0x40000000;
  private static final int O_RDONLY_CLOEXEC = 0x80000;
  private static final MethodHandle SETNS;
  private static final MethodHandle OPEN;
  private static final MethodHandle CLOSE;

  static {
    Linker linker = Linker.nativeLinker();
    SymbolLookup libc = linker.defaultLookup();
    SETNS = linker.downcallHandle(libc.find("setns").orElseThrow(),
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    OPEN = linker.downcallHandle(libc.find("open").orElseThrow(),
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    CLOSE = linker.downcallHandle(libc.find("close").orElseThrow(),
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
  }

  private NetNamespace() {}

  public static <T> T call(String ns, Callable<T> body) {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Throwable> error = new AtomicReference<>();
    Thread t = Thread.ofPlatform().name("netns-" + ns).start(() -> {
      try (Arena arena = Arena.ofConfined()) {
        int fd = (int) OPEN.invokeExact(arena.allocateFrom("/var/run/netns/" + ns), O_RDONLY_CLOEXEC);
        if (fd < 0) {
          throw new IllegalStateException("cannot open /var/run/netns/" + ns);
        }
        int rc = (int) SETNS.invokeExact(fd, CLONE_NEWNET);
        int ignored = (int) CLOSE.invokeExact(fd);
        if (rc != 0) {
          throw new IllegalStateException("setns into " + ns + " failed");
        }
        result.set(body.call());
      } catch (Throwable e) {
        error.set(e);
      }
    });
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (error.get() != null) {
      throw new IllegalStateException("in netns " + ns + ": " + error.get().getMessage(), error.get());
    }
    return result.get();
  }
}
