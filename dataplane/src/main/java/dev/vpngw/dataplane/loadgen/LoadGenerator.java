package dev.vpngw.dataplane.loadgen;

import dev.vpngw.dataplane.ike.ConnectionMode;
import dev.vpngw.dataplane.ike.IkeConnection;
import dev.vpngw.dataplane.ike.IkeDaemon;
import dev.vpngw.dataplane.ike.IkeIdentity;
import dev.vpngw.dataplane.ike.IkeSaState;
import dev.vpngw.dataplane.ike.IkeSaStatus;
import dev.vpngw.dataplane.ike.IkeTimers;
import dev.vpngw.dataplane.ike.message.TrafficSelector;
import dev.vpngw.dataplane.ike.proposal.AzureIpsecPolicy;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Many real IKEv2 initiators against one responder: peer {@code i} dials from its own address
 * ({@code firstPeer + i}) with real ECP-256 key exchange, PSK authentication and an AES-256-GCM
 * IKE SA plus one child SA proposing its own /32 ({@code firstInner + i}) behind the peer. At most
 * {@code window} setups are in flight; a setup counts when the IKE SA is established with its
 * child SA (IKE_AUTH done). Afterwards the SAs stay up (answering DPD) until {@link #close}.
 *
 * @param responderVnet the responder's side of every child SA (TSr)
 */
public record LoadGenerator(InetAddress responder, InetAddress firstPeer, InetAddress firstInner, String responderVnet,
    int peers, int window, byte[] psk, Duration timeout) {

  /** What one run produced. */
  public record Result(int peers, int established, int failed, long elapsedNanos, long p50Nanos, long p99Nanos,
      Map<String, Integer> failures, long lastDoneEpochMillis) {
    public double setupsPerSecond() {
      return elapsedNanos == 0 ? 0 : established * 1e9 / elapsedNanos;
    }

    /** One line the benchmark script parses. */
    public String summary() {
      return String.format(java.util.Locale.ROOT,
          "loadgen: established %d of %d (failed %d) in %d ms: %.1f setups/s, latency p50 %.1f ms p99 %.1f ms,"
              + " last at %d",
          established, peers, failed, elapsedNanos / 1_000_000, setupsPerSecond(), p50Nanos / 1e6, p99Nanos / 1e6,
          lastDoneEpochMillis);
    }
  }

  public LoadGenerator {
    if (peers < 1 || peers > 65_000) {
      throw new IllegalArgumentException("peers must be 1..65000, got " + peers);
    }
    if (window < 1) {
      throw new IllegalArgumentException("window must be >= 1, got " + window);
    }
    psk = psk.clone();
  }

  /** The address {@code base + i} (IPv4). */
  public static InetAddress offset(InetAddress base, int i) {
    byte[] b = base.getAddress();
    int v = ((b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF)) + i;
    try {
      return InetAddress.getByAddress(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  public List<InetAddress> peerAddresses() {
    List<InetAddress> out = new ArrayList<>(peers);
    for (int i = 0; i < peers; i++) {
      out.add(offset(firstPeer, i));
    }
    return out;
  }

  /** Peer {@code i}'s connection: the same policy the benchmark's responders are configured with. */
  IkeConnection connection(int i) {
    InetAddress local = offset(firstPeer, i);
    var policy = new AzureIpsecPolicy(27_000, 102_400_000, "GCMAES256", "GCMAES256", "GCMAES256", "SHA256", "ECP256",
        "None");
    return new IkeConnection(name(i), local, responder, IkeIdentity.address(local), null, psk, policy.toIkePolicy(),
        policy.toChildPolicy(), List.of(TrafficSelector.fromCidr(offset(firstInner, i).getHostAddress() + "/32")),
        List.of(TrafficSelector.fromCidr(responderVnet)), ConnectionMode.INITIATOR_ONLY, Duration.ofSeconds(45),
        IkeTimers.defaults(), true);
  }

  static String name(int i) {
    return "peer-" + i;
  }

  /** A running generator: the daemon, its sockets and the SAs it set up. */
  public static final class Running implements AutoCloseable {
    private final MultiAddressIkeTransport transport;
    private final IkeDaemon daemon;
    private final DiscardingSaManager sas;

    Running(MultiAddressIkeTransport transport, IkeDaemon daemon, DiscardingSaManager sas) {
      this.transport = transport;
      this.daemon = daemon;
      this.sas = sas;
    }

    /** IKE SAs currently established with at least one child SA. */
    public int established() {
      return (int) daemon.statuses().values().stream().filter(Running::up).count();
    }

    public long childSasInstalled() {
      return sas.installed() / 2;
    }

    static boolean up(IkeSaStatus s) {
      return (s.state() == IkeSaState.ESTABLISHED || s.state() == IkeSaState.REKEYING) && !s.children().isEmpty();
    }

    @Override
    public void close() {
      daemon.close();
      transport.close();
    }
  }

  /**
   * Binds the sockets, waits until {@code startAtMillis} (wall clock; 0: at once, so that several
   * generator processes dial together), then runs every setup; returns when all finished or
   * {@code timeout} passed.
   */
  public Running start(PrintWriter progress, Result[] result, long startAtMillis) throws Exception {
    var transport = MultiAddressIkeTransport.bind(peerAddresses());
    var sas = new DiscardingSaManager();
    var daemon = new IkeDaemon(transport, sas, IkeDaemon.Options.defaults());
    for (int i = 0; i < peers; i++) {
      daemon.addConnection(connection(i));
    }
    progress.printf("loadgen: %d peers bound (%d sockets), window %d, dialling %s%n", peers, transport.sockets(), window,
        responder.getHostAddress());
    progress.flush();
    long wait = startAtMillis - System.currentTimeMillis();
    if (wait > 0) {
      Thread.sleep(wait);
    }
    result[0] = run(daemon, progress);
    return new Running(transport, daemon, sas);
  }

  private Result run(IkeDaemon daemon, PrintWriter progress) throws InterruptedException {
    Deque<Integer> todo = new ArrayDeque<>();
    for (int i = 0; i < peers; i++) {
      todo.add(i);
    }
    Map<Integer, Long> inFlight = new LinkedHashMap<>();
    long[] latencies = new long[peers];
    int established = 0;
    int failed = 0;
    Map<String, Integer> failures = new LinkedHashMap<>();
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    long lastDone = start;
    long nextReport = start + 5_000_000_000L;
    while ((!todo.isEmpty() || !inFlight.isEmpty()) && System.nanoTime() < deadline) {
      while (inFlight.size() < window && !todo.isEmpty()) {
        int i = todo.poll();
        inFlight.put(i, System.nanoTime());
        daemon.initiate(name(i));
      }
      Thread.sleep(2);
      for (Iterator<Map.Entry<Integer, Long>> it = inFlight.entrySet().iterator(); it.hasNext(); ) {
        var e = it.next();
        IkeSaStatus s = daemon.status(name(e.getKey())).orElse(null);
        if (s == null) {
          continue;
        }
        if (Running.up(s)) {
          long now = System.nanoTime();
          latencies[established++] = now - e.getValue();
          lastDone = now;
          it.remove();
        } else if (s.state() == IkeSaState.FAILED || s.state() == IkeSaState.DESTROYED) {
          failed++;
          failures.merge(s.lastErrorNotify() != null ? s.lastErrorNotify() : String.valueOf(s.lastError()), 1, Integer::sum);
          it.remove();
        }
      }
      if (System.nanoTime() >= nextReport) {
        nextReport += 5_000_000_000L;
        progress.printf("loadgen: %d established, %d failed, %d in flight%n", established, failed, inFlight.size());
        progress.flush();
      }
    }
    failed += inFlight.size() + todo.size();
    if (!inFlight.isEmpty() || !todo.isEmpty()) {
      failures.merge("timeout", inFlight.size() + todo.size(), Integer::sum);
    }
    long[] l = Arrays.copyOf(latencies, established);
    Arrays.sort(l);
    long p50 = l.length == 0 ? 0 : l[l.length / 2];
    long p99 = l.length == 0 ? 0 : l[Math.min(l.length - 1, (int) Math.ceil(l.length * 0.99) - 1)];
    long lastDoneEpoch = System.currentTimeMillis() - (System.nanoTime() - lastDone) / 1_000_000;
    return new Result(peers, established, failed, lastDone - start, p50, p99, failures, lastDoneEpoch);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
