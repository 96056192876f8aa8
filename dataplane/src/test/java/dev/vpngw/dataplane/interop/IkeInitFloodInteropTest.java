package dev.vpngw.dataplane.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpngw.dataplane.ike.IkeDaemon;
import dev.vpngw.dataplane.testsupport.IkeInitFlooder;
import dev.vpngw.dataplane.testsupport.RequiresHost;
import dev.vpngw.dataplane.testsupport.StrongSwanPeer;
import dev.vpngw.dataplane.testsupport.TestNetwork;
import dev.vpngw.dataplane.testsupport.VpngwProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flood of spoofed IKE_SA_INIT against the real program ({@code vpngw run}) while its tunnel to an
 * unmodified strongSwan carries a ping every 10 ms: the tunnel is untouched (no ping lost, same
 * SPIs), cookies engage, half-open SAs stay at the cookie threshold and the heap after the flood is
 * where it was before.
 *
 * <pre>
 * hostL ─ gw (vpngw run) 198.18.0.1 ══ ESP-in-UDP ══ 198.18.0.2 strongSwan ─ hostR
 *              │ 198.18.3.1
 *              │ 198.18.3.2
 *            flooder: TUN fl0 ← raw IKE_SA_INIT from 198.19.x.y:* and from 198.18.0.2:10000-60000
 * </pre>
 *
 * Requests alternate between port 500 and port 4500 (non-ESP marker), where they share the socket
 * and packet threads with the tunnel's ESP.
 *
 * The gateway routes 198.19.0.0/16, and (by an {@code ip rule} on the destination port) replies to
 * 198.18.0.2's ports 10000-60000, to the flooder, where they land in the TUN: the real peer never
 * sees them, and the flooder counts the COOKIEs it got.
 */
@RequiresHost(binaries = {"charon-systemd", "swanctl", "ping"})
class IkeInitFloodInteropTest {
  private static final int FLOOD = 30_000;
  private static final int PACKETS_PER_SECOND = 5_000;
  /** ≥ 12 s of pings at 10 ms: longer than flooder start-up plus the 6 s flood, checked below. */
  private static final int PINGS = 1_200;
  /** Heap growth (after a full GC, before vs after) that still counts as flat. */
  private static final long FLAT_HEAP_BYTES = 4L << 20;

  @TempDir Path dir;

  @Test
  void spoofedInitFloodLeavesTunnelAndHeapAloneAndCookiesEngage() throws Exception {
    try (TestNetwork net = TestNetwork.create("fld")) {
      GatewayProgramInteropTest.Running r = GatewayProgramInteropTest.start(net, dir);
      String flooder = flooderNamespace(net, r);
      StrongSwanPeer.Sa saBefore = r.peer().listSas().getFirst();
      String tunnelBefore = spis(saBefore);
      long pid = javaPid(r.vpngw());

      // Warm the paths (JIT, first packets) so the baseline is not taken from a cold program.
      net.exec(r.line().hostL(), "ping", "-c", "20", "-i", "0.01", "-W", "2", "198.18.2.2");
      long heapBefore = heapAfterFullGc(r, pid);
      long rcvbufErrorsBefore = udpRcvbufErrors(net, r.line().gw());

      Path pingLog = dir.resolve("ping.log");
      Process ping = net.start(r.line().hostL(), pingLog, "ping", "-c", String.valueOf(PINGS), "-i", "0.01", "-W", "1",
          "198.18.2.2");
      Thread.sleep(1000);
      AtomicLong maxHalfOpen = new AtomicLong();
      AtomicLong maxIkeSas = new AtomicLong();
      AtomicBoolean flooding = new AtomicBoolean(true);
      Thread sampler = Thread.ofVirtual().start(() -> {
        while (flooding.get()) {
          String m = r.metrics();
          maxHalfOpen.accumulateAndGet((long) metric(m, "vpngw_ike_half_open_sas\\{[^}]*}"), Math::max);
          maxIkeSas.accumulateAndGet((long) metric(m, "vpngw_ike_sas\\{[^}]*}"), Math::max);
        }
      });
      Path floodLog = dir.resolve("flood.log");
      Process flood = net.start(flooder, floodLog, javaCommand(IkeInitFlooder.class.getName(), "fl0", "198.18.0.1",
          "198.18.0.2", String.valueOf(FLOOD), String.valueOf(PACKETS_PER_SECOND), "500,4500"));
      assertThat(flood.waitFor(90, TimeUnit.SECONDS)).as("flooder finished").isTrue();
      flooding.set(false);
      sampler.join();
      boolean pingOutlastedFlood = ping.isAlive();
      assertThat(ping.waitFor(60, TimeUnit.SECONDS)).as("ping finished").isTrue();

      String floodOut = Files.readString(floodLog);
      Map<String, Double> f = floodFigures(floodOut);
      String metrics = r.metrics();
      long rcvbufErrors = udpRcvbufErrors(net, r.line().gw()) - rcvbufErrorsBefore;
      long heapAfter = heapAfterFullGc(r, pid);
      String pingOut = Files.readString(pingLog);
      StrongSwanPeer.Sa saAfter = r.peer().listSas().getFirst();
      double cookiesSent = metric(metrics, "vpngw_ike_cookies_sent_total\\{[^}]*}");
      double unknownDropped = metric(metrics, "vpngw_ike_datagrams_dropped_total\\{[^}]*reason=\"unknown_peer\"[^}]*}");
      System.out.printf("IKE_SA_INIT flood: %s%n  ping: %s%n  gateway: cookies sent %.0f, unknown-peer drops %.0f,"
              + " max half-open %d, max IKE SAs %d; kernel UDP receive-buffer drops %d%n"
              + "  heap after full GC: before %d B, after %d B (%+d B)%n",
          floodOut.strip(), pingOut.lines().filter(l -> l.contains("transmitted")).findFirst().orElse(pingOut),
          cookiesSent, unknownDropped, maxHalfOpen.get(), maxIkeSas.get(), rcvbufErrors, heapBefore, heapAfter,
          heapAfter - heapBefore);

      String logs = r.vpngwLog() + r.peer().log();
      assertThat(f.get("writeFailures")).as(floodOut).isZero();
      assertThat(pingOutlastedFlood).as("the ping ran through the whole flood").isTrue();
      assertThat(pingOut).as(logs).contains(PINGS + " packets transmitted, " + PINGS + " received");
      assertThat(r.peer().listSas()).as("still one IKE SA at the peer").hasSize(1);
      assertThat(spis(saAfter)).as("tunnel untouched: same IKE and child SPIs").isEqualTo(tunnelBefore);
      assertThat(r.vpngw("status").output()).contains("Connected");

      int threshold = IkeDaemon.Options.defaults().cookieThreshold();
      double spoofedPeer = f.get("spoofedPeer");
      assertThat(cookiesSent).as("cookies engaged (gateway metric)").isGreaterThan(spoofedPeer / 2);
      assertThat(f.get("cookies")).as("COOKIEs reached the (spoofed) initiators").isGreaterThan(spoofedPeer / 2);
      assertThat(f.get("initResponses")).as("stateful answers at most up to the threshold").isLessThanOrEqualTo(threshold);
      assertThat(maxHalfOpen.get()).as("half-open IKE SAs bounded by the cookie threshold").isLessThanOrEqualTo(threshold);
      assertThat(maxIkeSas.get()).as("IKE SAs: the tunnel's plus the half-open ones").isLessThanOrEqualTo(threshold + 1);
      assertThat(unknownDropped).as("requests from addresses no connection accepts: dropped, no state, no reply")
          .isGreaterThan(f.get("unknown") / 2);
      // Every request is accounted for: a COOKIE, a half-open SA, a stateless drop, or (the IKE
      // thread falling behind at this rate on a busy machine) the kernel's full socket buffer.
      assertThat(cookiesSent + f.get("initResponses") + unknownDropped + rcvbufErrors).as("accounting")
          .isCloseTo(FLOOD, org.assertj.core.data.Offset.offset(10.0));
      assertThat(heapAfter - heapBefore).as("heap after the flood (full GC) within 4 MiB of before")
          .isLessThan(FLAT_HEAP_BYTES);
    }
  }

  /**
   * The flooder's namespace: a veth to the gateway, a TUN the flooder writes into, and routes that
   * bring the gateway's answers to spoofed sources back into that TUN.
   */
  private static String flooderNamespace(TestNetwork net, GatewayProgramInteropTest.Running r) {
    String fl = net.namespace("fl");
    String gw = r.line().gw();
    net.veth(gw, "198.18.3.1/30", fl, "198.18.3.2/30");
    net.exec(fl, "ip", "tuntap", "add", "dev", "fl0", "mode", "tun", "multi_queue");
    net.exec(fl, "ip", "link", "set", "fl0", "up");
    net.exec(fl, "ip", "route", "add", "198.19.0.0/16", "dev", "fl0");
    net.exec(fl, "ip", "route", "add", "198.18.0.2/32", "dev", "fl0");
    net.exec(fl, "ip", "route", "add", "198.18.0.0/30", "via", "198.18.3.1");
    net.exec(fl, "sysctl", "-qw", "net.ipv4.ip_forward=1");
    net.exec(gw, "ip", "route", "add", "198.19.0.0/16", "via", "198.18.3.2");
    // Answers to the peer's address on the flooder's ports go to the flooder; IKE/ESP to the real
    // peer (ports 500/4500) keep using the wire.
    net.exec(gw, "ip", "rule", "add", "to", "198.18.0.2", "dport",
        IkeInitFlooder.SPOOF_PORT_MIN + "-" + IkeInitFlooder.SPOOF_PORT_MAX, "lookup", "100", "pref", "100");
    net.exec(gw, "ip", "route", "add", "198.18.0.2/32", "via", "198.18.3.2", "table", "100");
    // Datagrams from 198.18.0.2 arrive on the flooder's veth, not the wire: no reverse-path filter.
    net.exec(gw, "sysctl", "-qw", "net.ipv4.conf.all.rp_filter=0");
    return fl;
  }

  /** The kernel's count of datagrams dropped because a UDP socket's receive buffer was full. */
  private static long udpRcvbufErrors(TestNetwork net, String ns) {
    List<String> udp = net.exec(ns, "cat", "/proc/net/snmp").lines().filter(l -> l.startsWith("Udp:")).toList();
    List<String> names = List.of(udp.get(0).split("\\s+"));
    return Long.parseLong(udp.get(1).split("\\s+")[names.indexOf("RcvbufErrors")]);
  }

  private static String[] javaCommand(String mainClass, String... args) {
    List<String> cmd = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), mainClass));
    cmd.addAll(List.of(args));
    return cmd.toArray(String[]::new);
  }

  /** {@code ip netns exec} replaces itself with java; if a wrapper stayed, take its java child. */
  private static long javaPid(Process p) {
    ProcessHandle h = p.toHandle();
    if (h.info().command().orElse("").endsWith("/java")) {
      return h.pid();
    }
    return h.descendants().filter(d -> d.info().command().orElse("").endsWith("/java")).findFirst()
        .orElseThrow(() -> new IllegalStateException("no java process under " + h.pid())).pid();
  }

  /** Heap in use right after a full GC (what the program retains), from its own JVM metrics. */
  private static long heapAfterFullGc(GatewayProgramInteropTest.Running r, long pid) throws Exception {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    TestNetwork.Result gc = TestNetwork.runProcess(Duration.ofSeconds(30), jcmd, String.valueOf(pid), "GC.run");
    assertThat(gc.exitCode()).as(gc.output()).isZero();
    String m = r.metrics();
    Matcher heap = Pattern.compile("(?m)^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*} (\\S+)$").matcher(m);
    double sum = 0;
    int pools = 0;
    while (heap.find()) {
      sum += Double.parseDouble(heap.group(1));
      pools++;
    }
    assertThat(pools).as("heap pools in /metrics").isPositive();
    return (long) sum;
  }

  private static double metric(String metrics, String nameAndLabels) {
    Matcher m = Pattern.compile("(?m)^" + nameAndLabels + " (\\S+)$").matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  private static String spis(StrongSwanPeer.Sa sa) {
    var child = sa.children().getFirst();
    return sa.get("initiator-spi") + "/" + sa.get("responder-spi") + " " + child.get("spi-in") + "/" + child.get("spi-out");
  }

  private static Map<String, Double> floodFigures(String out) {
    Matcher line = Pattern.compile("flood (.*)").matcher(out);
    assertThat(line.find()).as("flooder output: " + out).isTrue();
    Map<String, Double> figures = new java.util.HashMap<>();
    for (String kv : line.group(1).trim().split(" ")) {
      String[] p = kv.split("=");
      figures.put(p[0], Double.parseDouble(p[1]));
    }
    return figures;
  }
}
