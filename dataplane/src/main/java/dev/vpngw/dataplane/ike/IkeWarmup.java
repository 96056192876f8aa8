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
  /** The warm-up connections' name; its SAs are logged at debug (no planned tunnel name lacks a '/'). */
  public static final String CONNECTION = "warm-up";

  private IkeWarmup() {}

  /**
   * Runs one handshake per connection template (its policies are used; addresses are loopback).
   *
   * @return how many handshakes ended with an IKE SA and its child SA (a failure is only logged:
   *         the gateway works without warm-up, just slower on its first handshake)
   */
  public static int run(List<IkeConnection> templates, Duration timeout) {
    return run(templates, timeout, Integer.getInteger(ROUNDS_PROPERTY, DEFAULT_ROUNDS),
        Duration.ofMillis(Long.getLong(BUDGET_PROPERTY, DEFAULT_BUDGET_MILLIS)));
  }

  /** Rounds over all templates (system property, default {@value #DEFAULT_ROUNDS}). */
  public static final String ROUNDS_PROPERTY = "vpngw.ikeWarmup.rounds";
  /** Wall time the rounds after the first may take (system property, milliseconds). */
  public static final String BUDGET_PROPERTY = "vpngw.ikeWarmup.budgetMillis";
  static final int DEFAULT_ROUNDS = 150;
  static final long DEFAULT_BUDGET_MILLIS = 3_000;

  /**
   * The first round runs one handshake per template; further rounds (up to {@code rounds} in all)
   * repeat them until {@code budget} has passed since the first round ended, so the IKE and curve
   * code is compiled (C1, the hottest parts C2) before real peers arrive: 2 handshakes leave it
   * interpreted, and the first real set-up then spent ≈15 ms in each ECDH step.
   *
   * @return handshakes of the first round that ended with an IKE SA and its child SA
   */
  public static int run(List<IkeConnection> templates, Duration timeout, int rounds, Duration budget) {
    long start = System.nanoTime();
    long firstRoundEnd = start;
    int ok = 0;
    int extra = 0;
    for (int round = 0; round < Math.max(1, rounds); round++) {
      if (round == 1) {
        firstRoundEnd = System.nanoTime();
      }
      if (round > 0 && System.nanoTime() - firstRoundEnd > budget.toNanos()) {
        break;
      }
      for (IkeConnection t : templates) {
        try {
          boolean done = handshake(t, timeout);
          if (round == 0 && done) {
            ok++;
          } else if (done) {
            extra++;
          }
        } catch (RuntimeException e) {
          log.debug("IKE warm-up handshake failed: {}", e.toString());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return ok;
        }
      }
    }
    long end = System.nanoTime();
    if (rounds <= 1) {
      firstRoundEnd = end;
    }
    log.info("IKE warm-up: {} of {} in-memory handshake(s) in {} ms, then {} more in {} ms", ok, templates.size(),
        (firstRoundEnd - start) / 1_000_000, extra, (end - firstRoundEnd) / 1_000_000);
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
        da.addConnection(copy(template, CONNECTION, a, b, psk, ConnectionMode.INITIATOR_ONLY));
        db.addConnection(copy(template, CONNECTION, b, a, psk, ConnectionMode.RESPONDER_ONLY));
        Thread waiter = Thread.currentThread();
        da.setStatusListener(s -> java.util.concurrent.locks.LockSupport.unpark(waiter));
        da.initiate(CONNECTION);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
          IkeSaStatus s = da.status(CONNECTION).orElse(null);
          if (s != null && (s.state() == IkeSaState.FAILED || s.state() == IkeSaState.DESTROYED)) {
            return false;
          }
          if (s != null && s.state() == IkeSaState.ESTABLISHED && !s.children().isEmpty()) {
            return true;
          }
          // Woken by the next status change, polled at least every 5 ms.
          java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
          if (Thread.interrupted()) {
            throw new InterruptedException();
          }
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
