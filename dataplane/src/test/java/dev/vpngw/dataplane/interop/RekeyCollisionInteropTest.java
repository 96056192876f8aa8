package dev.vpngw.dataplane.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpngw.dataplane.testsupport.IkeHoldBack;
import dev.vpngw.dataplane.testsupport.IkeHoldBack.Kind;
import dev.vpngw.dataplane.testsupport.RequiresHost;
import dev.vpngw.dataplane.testsupport.SiteToSiteLine;
import dev.vpngw.dataplane.testsupport.StrongSwanPeer;
import dev.vpngw.dataplane.testsupport.SwanctlConf;
import dev.vpngw.dataplane.testsupport.TestNetwork;
import dev.vpngw.dataplane.testsupport.VpngwProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forced rekey collisions (RFC 7296 §2.8.1, §2.8.2) between {@code vpngw run} and an unmodified
 * strongSwan, made deterministic with nftables on strongSwan's end of the wire (IKE only; ESP keeps
 * flowing):
 *
 * <ol>
 *   <li>all IKE dropped; both ends start the rekey (vpngw's admin operation, {@code swanctl --rekey})
 *       and their first requests are lost;
 *   <li>requests pass, responses are dropped: each end's retransmitted request reaches the other
 *       while its own is outstanding, so both see the collision;
 *   <li>nothing held: the next retransmissions get the cached responses and both ends resolve it.
 * </ol>
 *
 * Each round asserts exactly one new SA on both ends and the same SPIs, and records who won (the
 * side whose exchange did not hold the lowest nonce). Rounds repeat until both orderings were seen.
 * A ping every 10 ms runs across all rounds.
 */
@RequiresHost(binaries = {"charon-systemd", "swanctl", "ping", "nft"})
class RekeyCollisionInteropTest {
  private static final String TOKEN = "collision-admin-token";
  private static final int MAX_ROUNDS = 8;

  @TempDir Path dir;

  private record Setup(TestNetwork net, SiteToSiteLine line, StrongSwanPeer sw, IkeHoldBack hold, Process ping,
      Path vpngwLog, Path pingLog) {
    String log() throws Exception {
      return Files.readString(vpngwLog);
    }

    String metrics() {
      return get("/metrics");
    }

    /** Admin {@code /status} (what `vpngw status --json` prints), without starting a JVM per call. */
    String status() {
      return get("/status");
    }

    private String get(String path) {
      return VpngwProcess.admin(net, line.gw(), 9090, path);
    }

    /** vpngw's admin operation (the same POST `vpngw rekey` sends), straight over HTTP for speed. */
    void rekeyVpngw(boolean ike) {
      String out = net.exec(line.gw(), "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/9090; printf 'POST "
          + "/v1/connections/to-onprem/rekey" + (ike ? "?sa=ike" : "") + " HTTP/1.0\\r\\nAuthorization: Bearer "
          + TOKEN + "\\r\\nContent-Length: 0\\r\\n\\r\\n' >&3; cat <&3");
      assertThat(out).contains("202");
    }
  }

  private Setup start(TestNetwork net) throws Exception {
    SiteToSiteLine line = SiteToSiteLine.build(net);
    StrongSwanPeer sw = StrongSwanPeer.start(net, line.peer(), line.peerWire(), dir.resolve("sw"),
        Map.of("retransmit_timeout", "0.5", "retransmit_tries", "5"));
    sw.load(GatewayProgramInteropTest.swanctl());
    Path config = Files.createDirectories(dir.resolve("config"));
    // dpdTimeoutSeconds 30: held-back IKE must not look like a dead peer during a round.
    Files.writeString(config.resolve("gateway.yaml"), GatewayProgramInteropTest.manifests(
        "program-test-psk-0123456789").replace("dpdTimeoutSeconds: 10", "dpdTimeoutSeconds: 30"));
    Files.writeString(dir.resolve("token"), TOKEN + "\n");
    Path log = dir.resolve("vpngw.log");
    Process vpngw = VpngwProcess.start(net, line.gw(), log, 
        // Timestamps in vpngw's log, to line its collision outcome up with strongSwan's.
        Map.of("JAVA_TOOL_OPTIONS", "-Dorg.slf4j.simpleLogger.showDateTime=true"
            + " -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS"), "run", "-f", config.toString(), "--instance", "0",
        "--local-address", "198.18.0.1", "--admin-port", "9090", "--admin-token-file", dir.resolve("token").toString());
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      assertThat(vpngw.isAlive()).as(Files.readString(log)).isTrue();
      assertThat(VpngwProcess.admin(net, line.gw(), 9090, "/status")).contains("\"Connected\"");
    });
    VpngwProcess.awaitTunnelRoute(net, line.gw(), "198.18.2.2");
    IkeHoldBack hold = IkeHoldBack.create(net, line.peer());
    Path pingLog = dir.resolve("ping.log");
    Process ping = net.start(line.hostL(), pingLog, "ping", "-D", "-i", "0.01", "-W", "1", "198.18.2.2");
    Thread.sleep(500);
    return new Setup(net, line, sw, hold, ping, log, pingLog);
  }

  /**
   * Steps 1–3 of the class comment for one round. In step 3 one side gets its response first
   * ({@code vpngwFirst}): the order in which the two ends resolve the collision is the other thing
   * (besides the nonces) that decides what they have to do, so rounds alternate it.
   */
  private static void collide(Setup s, boolean ike, boolean vpngwFirst, Runnable swanctlRekey) {
    IkeHoldBack h = s.hold();
    h.dropAll();
    long vpngwRequests = h.packets(Kind.IN_REQUEST);
    s.rekeyVpngw(ike);
    awaitMore(h, Kind.IN_REQUEST, vpngwRequests);
    long swRequests = h.packets(Kind.OUT_REQUEST);
    swanctlRekey.run();
    awaitMore(h, Kind.OUT_REQUEST, swRequests);
    // Requests cross: each end answers the other's while its own is outstanding.
    vpngwRequests = h.packets(Kind.IN_REQUEST);
    swRequests = h.packets(Kind.OUT_REQUEST);
    h.drop(EnumSet.of(Kind.IN_RESPONSE, Kind.OUT_RESPONSE));
    awaitMore(h, Kind.IN_REQUEST, vpngwRequests);
    awaitMore(h, Kind.OUT_REQUEST, swRequests);
    // One end's retransmission fetches its cached response first and resolves; then the other.
    if (vpngwFirst) {
      long responses = h.packets(Kind.OUT_RESPONSE);
      h.drop(EnumSet.of(Kind.OUT_REQUEST, Kind.IN_RESPONSE));
      awaitMore(h, Kind.OUT_RESPONSE, responses);
    } else {
      long responses = h.packets(Kind.IN_RESPONSE);
      h.drop(EnumSet.of(Kind.IN_REQUEST, Kind.OUT_RESPONSE));
      awaitMore(h, Kind.IN_RESPONSE, responses);
    }
    sleep(300);
    h.release();
  }

  private static void awaitMore(IkeHoldBack h, Kind kind, long than) {
    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20)).until(() -> h.packets(kind) > than);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops the 10 ms ping (SIGINT, so it prints its statistics) and returns {sent, received} counted
   * up to the last reply: the request in flight when SIGINT lands is not a loss. The last reply
   * must be within a few requests of the end, so a ping that went dark is still caught.
   */
  private static long[] stopPing(Setup s) throws Exception {
    TestNetwork.run("kill", "-INT", String.valueOf(s.ping().pid()));
    s.ping().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
    String log = Files.readString(s.pingLog());
    Matcher m = Pattern.compile("(\\d+) packets transmitted, (\\d+) received").matcher(log);
    assertThat(m.find()).as(log).isTrue();
    long transmitted = Long.parseLong(m.group(1));
    java.util.Set<Long> replies = new java.util.HashSet<>();
    Matcher r = Pattern.compile("icmp_seq=(\\d+) ").matcher(log);
    while (r.find()) {
      replies.add(Long.parseLong(r.group(1)));
    }
    long last = replies.stream().mapToLong(Long::longValue).max().orElse(0);
    assertThat(transmitted - last).as("replies stopped before the ping did" + log).isLessThanOrEqualTo(3);
    return new long[] {last, replies.size()};
  }

  /**
   * Who won one round, as each end tells it: vpngw's own log line (its exchange resolved, or the
   * peer deleted the old IKE SA first) and strongSwan's (won / lost / rekey-delete collision / "did
   * not notice", the last two meaning the peer, vpngw, won and deleted the old SA first).
   */
  private record Outcome(String vpngwLine, String strongSwanLine) {
    String winner() {
      return vpngwLine.contains("we win") ? "vpngw" : "strongSwan";
    }

    boolean agree() {
      boolean swWon = strongSwanLine.contains("collision won");
      return swWon == winner().equals("strongSwan");
    }
  }

  private static final Pattern VPNGW_LINE = Pattern.compile(
      "[^\\n]*(rekey collision[^\\n]*we (?:lose|win)|peer deleted the IKE SA while our crossing rekey was pending)[^\\n]*");
  private static final Pattern SW_LINE = Pattern.compile(
      "[^\\n]*(rekey collision (?:won|lost)|rekey/delete collision|not (?:have )?notice)[^\\n]*");

  /** The round's outcome lines, from the logs' text after {@code vpngwFrom} / {@code swFrom}. */
  private static Outcome outcome(String vpngwLog, int vpngwFrom, String swLog, int swFrom) {
    Matcher v = VPNGW_LINE.matcher(vpngwLog.substring(vpngwFrom));
    Matcher w = SW_LINE.matcher(swLog.substring(swFrom));
    assertThat(v.find()).as("vpngw logged how the collision ended: " + vpngwLog.substring(vpngwFrom)).isTrue();
    assertThat(w.find()).as("strongSwan logged how the collision ended: " + swLog.substring(swFrom)).isTrue();
    return new Outcome(v.group().trim(), w.group().trim());
  }

  /** Runs rounds (alternating who resolves first) until both ends have won at least once. */
  private void rounds(Setup s, boolean ike, RoundCheck check) throws Exception {
    List<String> summary = new ArrayList<>();
    java.util.Set<String> winners = new java.util.HashSet<>();
    for (int round = 1; round <= MAX_ROUNDS && (round <= 2 || winners.size() < 2); round++) {
      long t0 = System.nanoTime();
      boolean vpngwFirst = round % 2 == 1;
      int vpngwFrom = s.log().length();
      int swFrom = s.sw().log().length();
      StrongSwanPeer.Sa before = s.sw().listSas().getFirst();
      collide(s, ike, vpngwFirst, () -> assertThat((ike ? s.sw().rekeyIke("gw") : s.sw().rekeyChild("net")).exitCode())
          .isZero());
      await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
          .untilAsserted(() -> outcome(s.log(), vpngwFrom, s.sw().log(), swFrom));
      Outcome o = outcome(s.log(), vpngwFrom, s.sw().log(), swFrom);
      assertThat(o.agree()).as("both ends agree who won: " + o).isTrue();
      winners.add(o.winner());
      String note = check.after(before, vpngwFirst, o.winner());
      String line = String.format("round %d (%s resolved first, %d ms): %s won%s%n    vpngw:      %s%n    strongSwan: %s",
          round, vpngwFirst ? "vpngw" : "strongSwan", (System.nanoTime() - t0) / 1_000_000, o.winner(),
          note.isEmpty() ? "" : "; " + note, o.vpngwLine(), o.strongSwanLine());
      summary.add(line);
      System.out.println((ike ? "IKE SA " : "CHILD SA ") + line);
    }
    assertThat(winners).as("both nonce orderings seen:\n" + String.join("\n", summary)).contains("vpngw", "strongSwan");
  }

  /** What must hold after a round; returns a note for the summary ("" when nothing to say). */
  @FunctionalInterface
  private interface RoundCheck {
    String after(StrongSwanPeer.Sa before, boolean vpngwFirst, String winner) throws Exception;
  }

  @Test
  void childSaRekeyCollisionsLeaveOneChildOnBothEnds() throws Exception {
    try (TestNetwork net = TestNetwork.create("cco")) {
      Setup s = start(net);
      rounds(s, false, (before, vpngwFirst, winner) -> {
        String oldSpi = before.children().getFirst().get("spi-in");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
          var sas = s.sw().listSas();
          assertThat(sas).as("one IKE SA on strongSwan").hasSize(1);
          var children = sas.getFirst().children();
          assertThat(children).as("exactly one child SA left on strongSwan: " + children).hasSize(1);
          StrongSwanPeer.Child c = children.getFirst();
          assertThat(c.get("state")).isEqualTo("INSTALLED");
          assertThat(c.get("spi-in")).as("a new child SA").isNotEqualTo(oldSpi);
          assertThat(s.metrics()).contains("vpngw_child_sas{gateway=\"gw\",tunnel=\"to-onprem/0\"} 1.0")
              .contains("vpngw_ike_sas{gateway=\"gw\"} 1.0");
          assertThat(s.status()).as("vpngw's child is strongSwan's")
              .contains("\"inboundSpi\" : \"" + c.get("spi-out") + "\"")
              .contains("\"outboundSpi\" : \"" + c.get("spi-in") + "\"");
        });
        return "";
      });
      long[] ping = stopPing(s);
      System.out.printf("CHILD SA collisions: ping every 10 ms: %d sent, %d received%n", ping[0], ping[1]);
      assertThat(ping[1]).as("no ping lost across the collisions" + Files.readString(s.pingLog())).isEqualTo(ping[0]);
      assertThat(s.status()).contains("\"Connected\"");
    }
  }

  /**
   * As the child test, for the IKE SA. One case cannot end clean at once, by strongSwan's design:
   * strongSwan resolves first, wins and deletes the old IKE SA before vpngw's response arrives; vpngw
   * then concludes that strongSwan won (as strongSwan itself does in that spot) but never learns the
   * SPI of the redundant SA its own request created on strongSwan, so strongSwan keeps that one
   * (REKEYED, no children) until its 30 s half-open timeout.
   */
  @Test
  void ikeSaRekeyCollisionsLeaveOneIkeSaOnBothEnds() throws Exception {
    try (TestNetwork net = TestNetwork.create("ico")) {
      Setup s = start(net);
      java.util.Set<String> leftovers = new java.util.HashSet<>();
      rounds(s, true, (before, vpngwFirst, winner) -> {
        String childBefore = before.children().getFirst().get("spi-in");
        boolean leftoverExpected = !vpngwFirst && winner.equals("strongSwan");
        String[] note = {""};
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
          var sas = s.sw().listSas();
          var established = sas.stream().filter(x -> "ESTABLISHED".equals(x.get("state"))).toList();
          assertThat(established).as("exactly one established IKE SA on strongSwan: " + sas).hasSize(1);
          var sa = established.getFirst();
          assertThat(sa.get("initiator-spi")).as("a new IKE SA").isNotEqualTo(before.get("initiator-spi"));
          assertThat(sa.children()).hasSize(1);
          assertThat(sa.children().getFirst().get("spi-in")).as("the child SA moved, unchanged")
              .isEqualTo(childBefore);
          // Earlier rounds' leftovers may still wait for strongSwan's timeout.
          var others = sas.stream().filter(x -> x != sa && !leftovers.contains(x.get("initiator-spi"))).toList();
          if (leftoverExpected) {
            assertThat(others).as("at most the redundant SA, childless, awaiting strongSwan's timeout").hasSizeLessThanOrEqualTo(1)
                .allSatisfy(x -> assertThat(x.children()).isEmpty());
            others.forEach(x -> leftovers.add(x.get("initiator-spi")));
            note[0] = others.isEmpty() ? "" : "strongSwan keeps the redundant IKE SA " + others.getFirst().get("initiator-spi")
                + " (" + others.getFirst().get("state") + ", no children) until its half-open timeout";
          } else {
            assertThat(others).as("nothing else on strongSwan").isEmpty();
          }
          assertThat(s.metrics()).contains("vpngw_ike_sas{gateway=\"gw\"} 1.0")
              .contains("vpngw_child_sas{gateway=\"gw\",tunnel=\"to-onprem/0\"} 1.0");
          assertThat(s.log()).as("vpngw's IKE SA is strongSwan's")
              .contains("IKE SA " + sa.get("initiator-spi") + "/" + sa.get("responder-spi") + " takes over 1 child");
        });
        return note[0];
      });
      long[] ping = stopPing(s);
      System.out.printf("IKE SA collisions: ping every 10 ms: %d sent, %d received%n", ping[0], ping[1]);
      assertThat(ping[1]).as("no ping lost across the collisions" + Files.readString(s.pingLog())).isEqualTo(ping[0]);
      assertThat(s.status()).contains("\"Connected\"");
    }
  }

  /**
   * Not a collision, but what the collisions found: strongSwan rekeys the IKE SA and vpngw, choosing
   * by its own (Azure) preference, picks another PRF (SHA-1 instead of the SHA-256 strongSwan chose
   * at setup). Both must derive the same keys, so the next exchange on the new SA (a child rekey)
   * goes through; with prf+ run by the new PRF it failed the integrity check.
   */
  @Test
  void ikeRekeyThatChangesThePrfKeepsWorking() throws Exception {
    try (TestNetwork net = TestNetwork.create("prf")) {
      Setup s = start(net);
      StrongSwanPeer.Sa before = s.sw().listSas().getFirst();
      assertThat(before.get("prf-alg")).isEqualTo("PRF_HMAC_SHA2_256");
      String child = before.children().getFirst().get("spi-in");
      assertThat(s.sw().rekeyIke("gw").exitCode()).isZero();
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        var sas = s.sw().listSas();
        assertThat(sas).hasSize(1);
        assertThat(sas.getFirst().get("initiator-spi")).isNotEqualTo(before.get("initiator-spi"));
        assertThat(sas.getFirst().get("prf-alg")).as("vpngw chose another PRF").isEqualTo("PRF_HMAC_SHA1");
      });
      assertThat(s.sw().rekeyChild("net").exitCode()).isZero();
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        var c = s.sw().listSas().getFirst().children();
        assertThat(c).hasSize(1);
        assertThat(c.getFirst().get("spi-in")).as("child rekeyed over the new IKE SA" + s.log()).isNotEqualTo(child);
        assertThat(s.status()).contains("\"inboundSpi\" : \"" + c.getFirst().get("spi-out") + "\"");
      });
      long[] ping = stopPing(s);
      assertThat(ping[1]).as(Files.readString(s.pingLog())).isEqualTo(ping[0]);
    }
  }
}
