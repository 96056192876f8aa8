package dev.vpngw.dataplane.packet;

import dev.vpngw.dataplane.esp.EspEngine;
import dev.vpngw.dataplane.net.EspUdpSocket;
import dev.vpngw.dataplane.net.IkeTransport;
import dev.vpngw.dataplane.net.NetNs;
import dev.vpngw.dataplane.routing.ForwardingLookup;
import dev.vpngw.dataplane.tun.TunDevice;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One running gateway data plane: TUN device, UDP 4500 socket, ESP engine and packet threads, wired
 * together and started. The 4500 socket doubles as the {@link IkeTransport} for IKE on port 4500.
 *
 * <pre>{@code
 * EspEngine engine = new EspEngine(slots, 2 * queues);
 * EspGateway gw = EspGateway.start(new EspGateway.Config("gw-ns", "vpn0", 2,
 *     new InetSocketAddress("198.18.0.1", 4500), 1400, 1350), engine, routingTable);
 * gw.ikeTransport().setReceiver(ike::onMessage);
 * engine.addSa(...);   // from IKE
 * }</pre>
 */
public final class EspGateway implements AutoCloseable {

  /**
   * @param netns     network namespace to create the TUN and socket in ({@code ip netns} name), or
   *                  null for the JVM's own namespace
   * @param tunName   TUN interface name (≤ 15 characters)
   * @param queues    packet thread pairs (TUN queues = UDP sockets); the engine needs 2 × queues workers
   * @param local     local UDP endpoint, normally port 4500
   * @param tunMtu    MTU set on the TUN (1400 leaves room for ESP-in-UDP on a 1500 path)
   * @param tcpMss    TCP MSS clamp applied to SYNs both ways (1350 like Azure)
   * @param offloads  TUN TSO/checksum offload, UDP GSO/GRO and TUN GRO writes (false: one packet per syscall)
   */
  public record Config(String netns, String tunName, int queues, InetSocketAddress local, int tunMtu, int tcpMss,
      boolean offloads) {
    public Config {
      if (tunMtu < 576 || tunMtu > 9000) {
        throw new IllegalArgumentException("tunMtu " + tunMtu + " must be 576..9000");
      }
    }

    public Config(String netns, String tunName, int queues, InetSocketAddress local, int tunMtu, int tcpMss) {
      this(netns, tunName, queues, local, tunMtu, tcpMss, true);
    }
  }

  private final EspUdpSocket udp;
  private final EspDataPath path;

  private EspGateway(EspUdpSocket udp, EspDataPath path) {
    this.udp = udp;
    this.path = path;
  }

  public static EspGateway start(Config config, EspEngine engine, ForwardingLookup fib) {
    TcpMssClamp clamp = new TcpMssClamp(config.tcpMss());
    TunDevice tun = inNamespace(config.netns(), () -> TunDevice.open(config.tunName(), config.queues(), config.offloads()));
    EspUdpSocket udp;
    try {
      ip(config.netns(), "link", "set", "dev", config.tunName(), "mtu", String.valueOf(config.tunMtu()), "up");
      udp = inNamespace(config.netns(), () -> EspUdpSocket.open(config.local(), config.queues(), config.offloads(), config.offloads()));
    } catch (RuntimeException e) {
      tun.close();
      throw e;
    }
    EspDataPath path = new EspDataPath(tun, udp, engine, fib, clamp);
    if (!config.offloads()) {
      path.coalesceOff();
    }
    path.start();
    return new EspGateway(udp, path);
  }

  /** The 4500 side of IKE: send with the non-ESP marker, receive marker-stripped messages. */
  public IkeTransport ikeTransport() {
    return udp;
  }

  public EspUdpSocket socket() {
    return udp;
  }

  /** How many packets each TUN/UDP syscall carried so far. */
  public EspDataPath.Stats stats() {
    return path.stats();
  }

  private static <T> T inNamespace(String netns, java.util.concurrent.Callable<T> task) {
    if (netns == null) {
      try {
        return task.call();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return NetNs.runIn(netns, task);
  }

  /** Control-plane configuration with iproute2 (never on the packet path). */
  static void ip(String netns, String... args) {
    List<String> cmd = new ArrayList<>(List.of("ip"));
    if (netns != null) {
      cmd.addAll(List.of("-n", netns));
    }
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", cmd) + " timed out");
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out.strip());
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + cmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Stops the packet threads, closes socket and TUN (the interface disappears with it). */
  @Override
  public void close() {
    path.close();
  }
}
