package dev.vpngw.dataplane.ike;

import dev.vpngw.dataplane.esp.EspEngine;
import dev.vpngw.dataplane.esp.TunnelSlots;
import dev.vpngw.dataplane.net.IkeTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Complete IKE handshakes between two in-process daemons over an in-memory wire (nothing leaves
 * the process), run once when the gateway starts: the first handshake of a fresh JVM spends most
 * of its time loading and initialising classes (codecs, tasks, the JCE and curve tables), and that
 * should not be the time a real peer waits for. Each policy given gets one handshake with a
 * throw-away ESP engine, so the ESP transforms initialise too.
 */
public final class IkeWarmup {
  private static final Logger log = LoggerFactory.getLogger(IkeWarmup.class);

  private IkeWarmup() {}

  /**
   * Runs one handshake per connection template (its policies are used; addresses are loopback).
   *
   * @return how many handshakes ended with an IKE SA and its child SA (a failure is only logged:
   *         the gateway works without warm-up, just slower on its first handshake)
   */
  public static int run(List<IkeConnection> templates, Duration timeout) {
    long start = System.nanoTime();
    int ok = 0;
    for (IkeConnection t : templates) {
      try {
        if (handshake(t, timeout)) {
          ok++;
        }
      } catch (RuntimeException e) {
        log.debug("IKE warm-up handshake failed: {}", e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    log.info("IKE warm-up: {} of {} in-memory handshake(s) in {} ms", ok, templates.size(),
        (System.nanoTime() - start) / 1_000_000);
    return ok;
  }

  private static boolean handshake(IkeConnection template, Duration timeout) throws InterruptedException {
    InetAddress a = InetAddress.getLoopbackAddress();
    InetAddress b;
    try {
      b = InetAddress.getByName("127.0.0.2");
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
    var wire = new Wire();
    byte[] psk = "in-memory warm-up".getBytes(StandardCharsets.US_ASCII);
    try (EspEngine espA = new EspEngine(new TunnelSlots(), 1); EspEngine espB = new EspEngine(new TunnelSlots(), 1)) {
      IkeDaemon da = new IkeDaemon(wire.endpoint(a), espA, IkeDaemon.Options.defaults());
      IkeDaemon db = new IkeDaemon(wire.endpoint(b), espB, IkeDaemon.Options.defaults());
      try {
        da.addConnection(copy(template, "warm-up", a, b, psk, ConnectionMode.INITIATOR_ONLY));
        db.addConnection(copy(template, "warm-up", b, a, psk, ConnectionMode.RESPONDER_ONLY));
        da.initiate("warm-up");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
          IkeSaStatus s = da.status("warm-up").orElse(null);
          if (s != null && (s.state() == IkeSaState.FAILED || s.state() == IkeSaState.DESTROYED)) {
            return false;
          }
          if (s != null && s.state() == IkeSaState.ESTABLISHED && !s.children().isEmpty()) {
            return true;
          }
          Thread.sleep(5);
        }
        return false;
      } finally {
        da.close();
        db.close();
      }
    }
  }

  private static IkeConnection copy(IkeConnection t, String name, InetAddress local, InetAddress remote, byte[] psk,
      ConnectionMode mode) {
    return new IkeConnection(name, local, remote, null, null, psk, t.ikePolicy(), t.childPolicy(),
        List.of(dev.vpngw.dataplane.ike.message.TrafficSelector.anyIpv4()),
        List.of(dev.vpngw.dataplane.ike.message.TrafficSelector.anyIpv4()), mode, t.dpdTimeout(), IkeTimers.defaults(),
        t.forceEncapsulation());
  }

  /** Delivers each message to the endpoint owning the destination address, on the sender's thread. */
  private static final class Wire {
    private final Map<InetAddress, Endpoint> endpoints = new ConcurrentHashMap<>();

    Endpoint endpoint(InetAddress address) {
      return endpoints.computeIfAbsent(address, Endpoint::new);
    }

    final class Endpoint implements IkeTransport {
      private final InetAddress address;
      private volatile Receiver receiver = (m, l, r) -> { };

      Endpoint(InetAddress address) {
        this.address = address;
      }

      @Override
      public void send(InetSocketAddress local, InetSocketAddress remote, byte[] ikeMessage) {
        Endpoint to = endpoints.get(remote.getAddress());
        if (to != null) {
          // The receiver only queues the message on the SA's executor: no re-entrancy.
          to.receiver.onIkeMessage(ikeMessage.clone(), remote, new InetSocketAddress(address, local.getPort()));
        }
      }

      @Override
      public void setReceiver(Receiver receiver) {
        this.receiver = receiver;
      }

      @Override
      public void close() {}
    }
  }
}
