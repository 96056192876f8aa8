package dev.vpngw.dataplane.bgp.bench;

import dev.vpngw.dataplane.bgp.BgpPeerConfig;
import dev.vpngw.dataplane.bgp.BgpSpeaker;
import dev.vpngw.dataplane.bgp.BgpSpeakerConfig;
import dev.vpngw.dataplane.bgp.BgpTimers;
import dev.vpngw.dataplane.bgp.io.SocketFactory;
import dev.vpngw.dataplane.routing.ExecutorControlLoop;
import dev.vpngw.dataplane.routing.Ipv4Prefix;
import dev.vpngw.dataplane.routing.RoutingTable;
import dev.vpngw.dataplane.testsupport.BirdPeer;
import dev.vpngw.dataplane.testsupport.TestNetwork;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Convergence benchmark (not part of verify): one BIRD "source" announces N /29s from
 * 198.18.0.0/15 (nothing is ever sent to them) to (a) our speaker and (b) a second BIRD, in the
 * same run, alternating, several rounds. Time is measured from the session reaching Established to
 * the last route being usable: for us the FIB snapshot holding all N (polled every 0.2 ms), for
 * BIRD the newest import timestamp in its table (BIRD's own clock, ms resolution).
 *
 * <p>Run: {@code dataplane/bench/bgp-convergence.sh [prefixes] [rounds]} (root, bird2 installed).
 */
public final class BgpConvergenceBench {
  private static final DateTimeFormatter BIRD_TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    if (n > 16_384) {
      throw new IllegalArgumentException("198.18.0.0/15 holds 16,384 /29s");
    }
    Path dir = Files.createTempDirectory("bgp-bench");
    try (TestNetwork net = TestNetwork.create("bgpb")) {
      String srcNs = net.namespace("src");
      String gwNs = net.namespace("gw");
      String sinkNs = net.namespace("sink");
      net.veth(gwNs, "169.254.21.1/30", srcNs, "169.254.21.2/30");
      net.veth(sinkNs, "169.254.22.1/30", srcNs, "169.254.22.2/30");

      StringBuilder conf = new StringBuilder("log \"@LOG@\" { info, warning, error, fatal };\nrouter id 198.18.255.1;\n"
          + "protocol device { scan time 10; }\nprotocol static st4 {\n  ipv4;\n");
      int base = Ipv4Prefix.parseAddress("198.18.0.0");
      for (int i = 0; i < n; i++) {
        conf.append("  route ").append(new Ipv4Prefix(base + i * 8, 29)).append(" blackhole;\n");
      }
      conf.append("}\n");
      String timers = "  disabled on;\n  ipv4 { import none; export where proto = \"st4\"; };\n";
      conf.append(BirdPeer.bgp("vpngw", "169.254.21.2", 65010, "169.254.21.1", 65515, false, timers));
      conf.append(BirdPeer.bgp("sink", "169.254.22.2", 65010, "169.254.22.1", 65020, false, timers));
      BirdPeer src = BirdPeer.start(net, srcNs, dir.resolve("src"), conf.toString());
      BirdPeer sink = BirdPeer.start(net, sinkNs, dir.resolve("sink"), "log \"@LOG@\" { info, warning, error, fatal };\n"
          + "router id 198.18.255.3;\nprotocol device { scan time 10; }\n"
          + BirdPeer.bgp("upstream", "169.254.22.1", 65020, "169.254.22.2", 65010, true, "  ipv4 { import all; export none; };\n"));

      BgpPeerConfig peer = BgpPeerConfig.of("169.254.21.1", "169.254.21.2", 65010, 1).withMaxPrefixes(Math.max(n + 1, 4000));
      BgpSpeakerConfig cfg = BgpSpeakerConfig.of(65515, "198.18.255.254", List.of(Ipv4Prefix.parse("198.19.255.0/24")), List.of(peer))
          .withTimers(BgpTimers.DEFAULTS.withHold(30).withConnectRetry(1).withIdleHold(1));
      try (ExecutorControlLoop loop = new ExecutorControlLoop("bgp-bench")) {
        RoutingTable table = new RoutingTable(loop, 5);
        BgpSpeaker speaker = new BgpSpeaker(cfg, table, loop, SocketFactory.inNamespace(gwNs));
        speaker.start();
        long heapEmpty = usedHeap();

        List<Double> ours = new ArrayList<>();
        List<Double> birds = new ArrayList<>();
        long heapFull = 0;
        String birdMem = "";
        for (int r = 0; r < rounds; r++) {
          ours.add(measureOurs(src, speaker, table, loop, n));
          heapFull = Math.max(heapFull, usedHeap());
          src.birdc("disable", "vpngw");
          birds.add(measureBird(src, sink, n));
          birdMem = sink.birdc("show", "memory");
          src.birdc("disable", "sink");
          waitFor(() -> table.fib().size() == 1 && sink.routeCount() == 0, 30_000);
        }
        Collections.sort(ours);
        Collections.sort(birds);
        double o = ours.get(ours.size() / 2);
        double b = birds.get(birds.size() / 2);
        System.out.printf("prefixes: %d, rounds: %d%n", n, rounds);
        System.out.printf("vpngw  Established -> all %d in FIB: median %.1f ms  (all: %s)%n", n, o, ours);
        System.out.printf("BIRD   Established -> all %d in table: median %.1f ms  (all: %s)%n", n, b, birds);
        System.out.printf("ratio vpngw/BIRD: %.2f (target <= 2.0)%n", o / b);
        System.out.printf("vpngw heap for %d routes: %.1f MiB (%.0f bytes/route, GC'd heap delta)%n", n,
            (heapFull - heapEmpty) / 1048576.0, (heapFull - heapEmpty) / (double) n);
        Matcher m = Pattern.compile("Routing tables:\\s+(\\S+ \\S+)").matcher(birdMem);
        System.out.println("BIRD sink memory, routing tables: " + (m.find() ? m.group(1) : birdMem.strip()));
        speaker.close();
      }
    }
    List<Double> own = InProcessConvergence.run(n, Math.max(rounds, 10));
    Collections.sort(own);
    System.out.printf("vpngw in-process (decode, policy, best path, FIB publish; no peer pacing): median %.1f ms (all: %s)%n",
        own.get(own.size() / 2), own);
  }

  private static double measureOurs(BirdPeer src, BgpSpeaker speaker, RoutingTable table, ExecutorControlLoop loop, int n) throws Exception {
    src.birdc("enable", "vpngw");
    long established = -1;
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (established < 0 && speaker.state("169.254.21.2").name().equals("ESTABLISHED")) {
        established = speakerEstablishedAt(speaker, loop);
      }
      if (table.fib().size() >= n + 1) {
        long done = System.nanoTime() / 1_000_000;
        if (established < 0) {
          established = speakerEstablishedAt(speaker, loop);
        }
        return done - established;
      }
      Thread.onSpinWait();
      Thread.sleep(0, 200_000);
    }
    throw new IllegalStateException("vpngw did not converge: fib " + table.fib().size());
  }

  /** The loop clock's value when the session went Established (ms, nanoTime based). */
  private static long speakerEstablishedAt(BgpSpeaker speaker, ExecutorControlLoop loop) {
    String d = speaker.peerStatus("169.254.21.2").connectedDuration();
    long now = loop.nowMillis();
    String[] hms = d.split("[:.]");
    long ms = Long.parseLong(hms[0]) * 3_600_000 + Long.parseLong(hms[1]) * 60_000 + Long.parseLong(hms[2]) * 1000
        + Long.parseLong(hms[3]) / 10_000;
    return now - ms;
  }

  private static double measureBird(BirdPeer src, BirdPeer sink, int n) throws Exception {
    src.birdc("enable", "sink");
    waitFor(() -> sink.routeCount() >= n, 60_000);
    String proto = sink.birdc("show", "protocols", "upstream");
    Matcher since = Pattern.compile("upstream\\s+BGP\\s+\\S+\\s+up\\s+(\\d\\d:\\d\\d:\\d\\d\\.\\d{3})").matcher(proto);
    if (!since.find()) {
      throw new IllegalStateException("no Established time in: " + proto);
    }
    LocalTime up = LocalTime.parse(since.group(1), BIRD_TIME);
    LocalTime last = up;
    Matcher t = Pattern.compile("\\[upstream (\\d\\d:\\d\\d:\\d\\d\\.\\d{3})\\]").matcher(sink.birdc("show", "route", "protocol", "upstream"));
    while (t.find()) {
      LocalTime lt = LocalTime.parse(t.group(1), BIRD_TIME);
      if (lt.isAfter(last)) {
        last = lt;
      }
    }
    return java.time.Duration.between(up, last).toNanos() / 1e6;
  }

  private static long usedHeap() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static void waitFor(java.util.function.BooleanSupplier c, long ms) throws InterruptedException {
    long end = System.currentTimeMillis() + ms;
    while (!c.getAsBoolean()) {
      if (System.currentTimeMillis() > end) {
        throw new IllegalStateException("timed out");
      }
      Thread.sleep(5);
    }
  }
}
