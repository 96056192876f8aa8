package dev.vpngw.dataplane.cli;

import dev.vpngw.dataplane.loadgen.LoadGenerator;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code vpngw loadgen}: benchmark-only. Many real IKEv2 initiators (one address each) set up IKE
 * + child SAs against one responder, then keep them up until stopped (see bench/scale).
 */
@Command(name = "loadgen", hidden = true, mixinStandardHelpOptions = true,
    description = "Benchmark load generator: N IKEv2 initiators (ECP-256, AES-256-GCM, PSK) from N local addresses.")
public final class LoadgenCommand implements Callable<Integer> {
  @Option(names = "--responder", required = true, paramLabel = "IP", description = "Responder address (UDP 500/4500).")
  String responder;

  @Option(names = "--peers", required = true, paramLabel = "N", description = "Number of initiators.")
  int peers;

  @Option(names = "--first-peer", defaultValue = "198.19.0.1", paramLabel = "IP",
      description = "Address of initiator 0; initiator i uses this + i (all must be local addresses).")
  String firstPeer;

  @Option(names = "--first-inner", defaultValue = "198.18.128.0", paramLabel = "IP",
      description = "Initiator i proposes (this + i)/32 as its traffic selector.")
  String firstInner;

  @Option(names = "--responder-vnet", defaultValue = "198.18.1.0/24", paramLabel = "CIDR",
      description = "The responder's traffic selector.")
  String responderVnet;

  @Option(names = "--window", defaultValue = "64", paramLabel = "N", description = "Setups in flight at once.")
  int window;

  @Option(names = "--psk-file", required = true, paramLabel = "FILE", description = "File holding the pre-shared key.")
  Path pskFile;

  @Option(names = "--timeout", defaultValue = "300", paramLabel = "SECONDS", description = "Give up on setups after this.")
  int timeoutSeconds;

  @Option(names = "--hold", defaultValue = "-1", paramLabel = "SECONDS",
      description = "Keep the SAs up this long after the setups (answering DPD); -1: until SIGTERM.")
  int holdSeconds;

  @Option(names = "--start-at", defaultValue = "0", paramLabel = "EPOCH_MS",
      description = "Start dialling at this wall-clock time (several generators dial together); 0: at once.")
  long startAt;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    byte[] psk = Files.readString(pskFile, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
    var gen = new LoadGenerator(InetAddress.getByName(responder), InetAddress.getByName(firstPeer),
        InetAddress.getByName(firstInner), responderVnet, peers, window, psk, Duration.ofSeconds(timeoutSeconds));
    LoadGenerator.Result[] result = new LoadGenerator.Result[1];
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(stop::countDown));
    try (LoadGenerator.Running running = gen.start(out, result, startAt)) {
      out.println(result[0].summary());
      if (!result[0].failures().isEmpty()) {
        out.println("loadgen: failures " + result[0].failures());
      }
      out.println("loadgen: holding " + running.established() + " established IKE SAs");
      out.flush();
      long end = holdSeconds < 0 ? Long.MAX_VALUE : System.nanoTime() + holdSeconds * 1_000_000_000L;
      while (System.nanoTime() < end && !stop.await(Math.min(10_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)),
          java.util.concurrent.TimeUnit.MILLISECONDS)) {
        out.println("loadgen: " + running.established() + " established");
        out.flush();
      }
    }
    return result[0].established() == peers ? ExitCodes.OK : ExitCodes.FAILED;
  }
}
