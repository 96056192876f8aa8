package dev.vpngw.dataplane.ike.interop;

import dev.vpngw.dataplane.ike.IkeConnection;
import dev.vpngw.dataplane.ike.IkeDaemon;
import dev.vpngw.dataplane.ike.IkeSaStatus;
import dev.vpngw.dataplane.ike.IkeTimers;
import dev.vpngw.dataplane.net.UdpIkeTransport;
import dev.vpngw.dataplane.testsupport.RecordingSaManager;
import dev.vpngw.dataplane.testsupport.StrongSwanPeer;
import dev.vpngw.dataplane.testsupport.TestNetwork;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Two namespaces joined by a veth (198.18.0.1 vpngw, 198.18.0.2 strongSwan), a real charon in
 * one, our IKE daemon's sockets in the other (opened via {@link dev.vpngw.dataplane.net.NetNs}).
 */
final class InteropFixture implements AutoCloseable {
  static final String PSK = "interop-test-psk-0123456789";
  final TestNetwork net;
  final String gwNs;
  final String peerNs;
  final InetAddress gw;
  final InetAddress peerIp;
  StrongSwanPeer peer;
  private final String peerIf;
  private final Map<String, String> charonOptions;
  private int restarts;
  final UdpIkeTransport transport;
  final RecordingSaManager saManager = new RecordingSaManager();
  final IkeDaemon daemon;
  final Path dir;

  InteropFixture(Map<String, String> charonOptions) throws Exception {
    this(charonOptions, 0);
  }

  /** {@code fragmentSize} > 0 sets our RFC 7383 fragment size; < 0 enables re-dial after -n ms. */
  InteropFixture(Map<String, String> charonOptions, int fragmentSize) throws Exception {
    net = TestNetwork.create("ike");
    try {
      gwNs = net.namespace("gw");
      peerNs = net.namespace("sw");
      String[] ifs = net.veth(gwNs, "198.18.0.1/24", peerNs, "198.18.0.2/24");
      peerIf = ifs[1];
      this.charonOptions = charonOptions;
      gw = InetAddress.getByName("198.18.0.1");
      peerIp = InetAddress.getByName("198.18.0.2");
      dir = Files.createTempDirectory("vpngw-ike-" + net.tag());
      peer = StrongSwanPeer.start(net, peerNs, ifs[1], dir.resolve("sw"), charonOptions);
      transport = dev.vpngw.dataplane.net.NetNs.runIn(gwNs, () -> UdpIkeTransport.bind(gw));
      var opts = IkeDaemon.Options.defaults();
      if (fragmentSize > 0) {
        opts = opts.withFragmentSize(fragmentSize);
      }
      if (fragmentSize < 0) {
        opts = opts.withReconnectDelay(java.time.Duration.ofMillis(-fragmentSize));
      }
      daemon = new IkeDaemon(transport, saManager, opts);
    } catch (Exception | Error e) {
      net.close();
      throw e;
    }
  }

  /** Kills charon (no Delete sent) and starts a fresh one with the same swanctl.conf: a peer reboot. */
  void restartPeer(String swanctlConf, boolean killFirst) throws Exception {
    if (killFirst) {
      peer.kill();
    }
    peer = StrongSwanPeer.start(net, peerNs, peerIf, dir.resolve("sw" + (++restarts)), charonOptions);
    peer.load(swanctlConf);
  }

  /** Short timers so retransmits, DPD and rekeys finish within seconds. */
  static IkeTimers fastTimers() {
    return new IkeTimers(List.of(Duration.ofMillis(300), Duration.ofMillis(600), Duration.ofMillis(900),
        Duration.ofMillis(1200)), Duration.ofSeconds(5), 0.1, 0.05, Duration.ofSeconds(2));
  }

  IkeConnection connection() {
    return IkeConnection.routeBased("vpngw", gw, peerIp, PSK.getBytes(StandardCharsets.US_ASCII))
        .withTimers(fastTimers(), Duration.ofSeconds(30));
  }

  /** swanctl.conf for a peer connection named "vpngw" with child "net". */
  String swanctl(String proposals, String espProposals, String extraIke, String extraChild, String secret) {
    return """
        connections {
          vpngw {
            version = 2
            local_addrs = 198.18.0.2
            remote_addrs = 198.18.0.1
            encap = yes
            proposals = %s
            %s
            local {
              auth = psk
              id = 198.18.0.2
            }
            remote {
              auth = psk
              id = 198.18.0.1
            }
            children {
              net {
                local_ts = 0.0.0.0/0
                remote_ts = 0.0.0.0/0
                esp_proposals = %s
                start_action = none
                %s
              }
            }
          }
        }
        secrets {
          ike-vpngw {
            id-1 = 198.18.0.1
            id-2 = 198.18.0.2
            secret = "%s"
          }
        }
        """.formatted(proposals, extraIke, espProposals, extraChild, secret);
  }

  IkeSaStatus status() {
    return daemon.status("vpngw").orElse(null);
  }

  String diagnostics() {
    String sas = peer.isAlive() ? peer.tryRun("--list-sas", "--raw").output() : "(peer dead)";
    return "\n--- our status: " + status() + "\n--- SaManager calls: " + saManager.calls() + "\n--- list-sas:\n" + sas
        + "\n--- charon log:\n" + peer.log();
  }

  @Override
  public void close() {
    try {
      daemon.close();
      transport.close();
      peer.close();
    } finally {
      net.close();
      deleteQuietly(dir);
    }
  }

  private static void deleteQuietly(Path root) {
    try (var walk = Files.walk(root)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      // best effort: a temp directory
    }
  }
}
