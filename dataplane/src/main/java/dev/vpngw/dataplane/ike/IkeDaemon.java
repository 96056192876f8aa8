package dev.vpngw.dataplane.ike;

import dev.vpngw.dataplane.esp.EspSaParams;
import dev.vpngw.dataplane.esp.SaEvents;
import dev.vpngw.dataplane.esp.SaManager;
import dev.vpngw.dataplane.ike.crypto.KeyExchangeFactory;
import dev.vpngw.dataplane.ike.error.IkeProtocolException;
import dev.vpngw.dataplane.ike.message.DecodeResult;
import dev.vpngw.dataplane.ike.message.ExchangeType;
import dev.vpngw.dataplane.ike.message.IkeHeader;
import dev.vpngw.dataplane.ike.message.IkeMessage;
import dev.vpngw.dataplane.ike.message.NoncePayload;
import dev.vpngw.dataplane.ike.message.NotifyPayload;
import dev.vpngw.dataplane.ike.message.NotifyType;
import dev.vpngw.dataplane.ike.sa.IkeSa;
import dev.vpngw.dataplane.ike.sa.IkeSaHost;
import dev.vpngw.dataplane.net.IkeTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IKEv2 daemon: owns every IKE SA (keyed by our SPI), dispatches datagrams from the
 * {@link IkeTransport}, answers new IKE_SA_INIT requests (with cookies under load), installs child
 * SAs through the {@link SaManager} and exposes per-connection {@link IkeSaStatus}.
 *
 * <pre>{@code
 * IkeDaemon d = new IkeDaemon(UdpIkeTransport.bind(localIp), saManager, IkeDaemon.Options.defaults());
 * d.addConnection(IkeConnection.routeBased("site-a", localIp, peerIp, psk));
 * d.initiate("site-a");            // or wait for the peer
 * d.status("site-a");              // state, algorithms, SPIs, last error, rekey counts
 * }</pre>
 */
public final class IkeDaemon implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IkeDaemon.class);

  /**
   * @param cookieThreshold half-open SAs above which IKE_SA_INIT must carry a valid COOKIE
   * @param scheduler       null: the daemon creates (and closes) its own
   * @param fragmentSize    largest IKE message we send once RFC 7383 fragmentation is negotiated
   *                        (1280-byte IP datagram minus IP, UDP and non-ESP marker headers)
   * @param reconnectDelay  null: a failed or dead IKE SA stays down; otherwise connections that
   *                        may initiate dial again after this delay, doubling up to 32× while it
   *                        keeps failing (until {@link #terminate} or {@link #removeConnection})
   */
  public record Options(SecureRandom random, IkeSaHost.NonceGenerator nonces, KeyExchangeFactory keyExchanges,
      Clock clock, ScheduledExecutorService scheduler, int cookieThreshold, Duration cookieRotation,
      int fragmentSize, Duration reconnectDelay) {

    public static Options defaults() {
      SecureRandom r = new SecureRandom();
      return new Options(r, n -> {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
      }, g -> g.newKeyExchange(r), Clock.systemUTC(), null, 50, Duration.ofMinutes(2), 1280 - 32, null);
    }

    public Options withCookieThreshold(int t) {
      return new Options(random, nonces, keyExchanges, clock, scheduler, t, cookieRotation, fragmentSize, reconnectDelay);
    }

    public Options withNonces(IkeSaHost.NonceGenerator n) {
      return new Options(random, n, keyExchanges, clock, scheduler, cookieThreshold, cookieRotation, fragmentSize, reconnectDelay);
    }

    public Options withScheduler(ScheduledExecutorService s) {
      return new Options(random, nonces, keyExchanges, clock, s, cookieThreshold, cookieRotation, fragmentSize, reconnectDelay);
    }

    public Options withFragmentSize(int size) {
      return new Options(random, nonces, keyExchanges, clock, scheduler, cookieThreshold, cookieRotation, size, reconnectDelay);
    }

    public Options withReconnectDelay(Duration d) {
      return new Options(random, nonces, keyExchanges, clock, scheduler, cookieThreshold, cookieRotation, fragmentSize, d);
    }
  }

  private final IkeTransport transport;
  private final SaManager saManager;
  private final Options options;
  private final ScheduledExecutorService scheduler;
  private final boolean ownScheduler;
  private final IkeCookies cookies;
  private final Host host = new Host();
  private final Map<String, IkeConnection> connections = new ConcurrentHashMap<>();
  /**
   * (local address, peer address) → the connection that answers that peer's IKE_SA_INIT: with
   * thousands of peers a new SA must not scan every connection.
   */
  private final Map<Endpoints, IkeConnection> byEndpoints = new ConcurrentHashMap<>();
  private final Map<Long, IkeSa> sas = new ConcurrentHashMap<>();
  /** Every live IKE SA of a connection (rekey, INITIAL_CONTACT and terminate look here, not at all SAs). */
  private final Map<String, Set<IkeSa>> sasOf = new ConcurrentHashMap<>();
  private final Map<String, IkeSa> current = new ConcurrentHashMap<>();
  private final Map<String, IkeSaStatus> statuses = new ConcurrentHashMap<>();
  /** Responder SAs not yet authenticated, keyed by peer address + SPIi (retransmit detection). */
  private final Map<String, IkeSa> halfOpen = new ConcurrentHashMap<>();
  private final Map<IkeSa, String> halfOpenKey = new ConcurrentHashMap<>();
  private final Set<Integer> childSpis = ConcurrentHashMap.newKeySet();
  private final AtomicLong cookiesSent = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  /** IKE_SA_INIT requests from addresses no connection accepts: dropped before any state or reply. */
  private final AtomicLong unknownPeerInits = new AtomicLong();
  /** Connections an operator took down: no automatic re-dial until {@link #initiate}. */
  private final Set<String> adminDown = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> reconnectAttempts = new ConcurrentHashMap<>();
  private volatile java.util.function.Consumer<IkeSaStatus> statusListener = s -> { };

  public IkeDaemon(IkeTransport transport, SaManager saManager, Options options) {
    this.transport = transport;
    this.saManager = saManager;
    this.options = options;
    this.ownScheduler = options.scheduler() == null;
    this.scheduler = ownScheduler ? newScheduler() : options.scheduler();
    this.cookies = new IkeCookies(options.random(), options.clock(), options.cookieRotation());
    transport.setReceiver(this::onDatagram);
    saManager.setEventListener(new SaEvents() {
      @Override
      public void softLifetimeReached(String tunnel, EspSaParams.Direction direction, int spi) {
        host.rekeyChild(tunnel, spi);
      }

      @Override
      public void peerEndpointChanged(String tunnel, int spi, InetSocketAddress from) {
        Optional.ofNullable(current.get(tunnel)).ifPresent(sa -> sa.espSourceChanged(spi, from));
      }
    });
  }

  /**
   * Two threads for every IKE SA's timers and tasks. Cancelled timers leave the queue at once: each
   * answered request cancels its retransmission timer, and with thousands of tunnels those would
   * otherwise sit in the queue (memory) and wake a thread when their time comes (CPU).
   */
  private static ScheduledExecutorService newScheduler() {
    var s = new java.util.concurrent.ScheduledThreadPoolExecutor(2, Thread.ofPlatform().daemon().name("ike-", 0).factory());
    s.setRemoveOnCancelPolicy(true);
    return s;
  }

  // ------------------------------------------------------------------ configuration

  /** Adds or replaces a connection (a changed policy re-handshakes, as Azure does). */
  public void addConnection(IkeConnection c) {
    IkeConnection old = connections.put(c.name(), c);
    if (old != null) {
      unindex(old);
    }
    byEndpoints.put(new Endpoints(c.local(), c.remote()), c);
    if (old != null && !old.equals(c)) {
      terminate(c.name());
    }
  }

  public void removeConnection(String name) {
    terminate(name);
    reconnectAttempts.remove(name);
    IkeConnection old = connections.remove(name);
    if (old != null) {
      unindex(old);
    }
    statuses.remove(name);
  }

  /** Which connection answers IKE_SA_INIT from {@code remote} arriving at {@code local}, if any. */
  public Optional<IkeConnection> connectionFor(InetAddress local, InetAddress remote) {
    return Optional.ofNullable(byEndpoints.get(new Endpoints(local, remote)));
  }

  private record Endpoints(InetAddress local, InetAddress remote) {}

  private void unindex(IkeConnection old) {
    Endpoints key = new Endpoints(old.local(), old.remote());
    if (byEndpoints.remove(key, old)) {
      // Another connection to the same peer (a misconfiguration the validator flags) takes over.
      connections.values().stream().filter(x -> x.local().equals(old.local()) && x.remote().equals(old.remote()))
          .findFirst().ifPresent(x -> byEndpoints.putIfAbsent(key, x));
    }
  }

  private Set<IkeSa> sasOf(String connection) {
    return sasOf.getOrDefault(connection, Set.of());
  }

  public Optional<IkeConnection> connection(String name) {
    return Optional.ofNullable(connections.get(name));
  }

  /** Dials the peer unless an IKE SA is up or being set up. */
  public void initiate(String name) {
    IkeConnection c = connections.get(name);
    if (c == null) {
      throw new IllegalArgumentException("no connection named " + name);
    }
    if (c.mode() == ConnectionMode.RESPONDER_ONLY) {
      throw new IllegalStateException("connection " + name + " is ResponderOnly: the peer must initiate");
    }
    adminDown.remove(name);
    IkeSa cur = current.get(name);
    if (cur != null && (cur.state() == IkeSaState.ESTABLISHED || cur.state() == IkeSaState.CONNECTING
        || cur.state() == IkeSaState.REKEYING)) {
      return;
    }
    IkeSa sa = IkeSa.newInitiator(host, c);
    current.put(name, sa);
    sa.start();
  }

  /** Deletes the connection's IKE SAs (and their children) with the peer. */
  public void terminate(String name) {
    adminDown.add(name);
    List.copyOf(sasOf(name)).forEach(IkeSa::terminate);
  }

  /** Rekeys the connection's IKE SA now (admin/test hook). */
  public void rekeyIke(String name) {
    Optional.ofNullable(current.get(name)).ifPresent(IkeSa::rekeyIke);
  }

  /** Rekeys the child SA with this inbound SPI now (admin/test hook). */
  public void rekeyChild(String name, int inboundSpi) {
    Optional.ofNullable(current.get(name)).ifPresent(s -> s.rekeyChild(inboundSpi));
  }

  /** Deletes the child SA with this inbound SPI with the peer (admin/test hook); its selector pair comes back. */
  public void deleteChild(String name, int inboundSpi) {
    Optional.ofNullable(current.get(name)).ifPresent(s -> s.deleteChild(inboundSpi));
  }

  // ------------------------------------------------------------------ status

  /**
   * Called with each connection's status whenever it changes (on the IKE SA's thread: keep it
   * short, hand work to another thread), so the embedder reacts at once instead of polling.
   */
  public void setStatusListener(java.util.function.Consumer<IkeSaStatus> listener) {
    this.statusListener = listener;
  }

  public Optional<IkeSaStatus> status(String name) {
    return Optional.ofNullable(statuses.get(name));
  }

  public Map<String, IkeSaStatus> statuses() {
    return Map.copyOf(statuses);
  }

  /**
   * When the connection's current IKE SA last sent a datagram to the peer (System.nanoTime; 0 if
   * none): the NAT-T keepalive is skipped while IKE traffic keeps the mapping open.
   */
  public long lastSentNanos(String name) {
    IkeSa sa = current.get(name);
    return sa == null ? 0 : sa.lastSentNanos();
  }

  /** Responder IKE SAs that have not authenticated yet (bounded by cookies under a flood). */
  public int halfOpenCount() {
    return halfOpen.size();
  }

  public int ikeSaCount() {
    return sasOf.values().stream().mapToInt(Set::size).sum();
  }

  public long cookiesSent() {
    return cookiesSent.get();
  }

  /** Datagrams dropped for being malformed or for an unknown IKE SA. */
  public long droppedDatagrams() {
    return dropped.get();
  }

  /** IKE_SA_INIT requests from addresses that match no connection accepting peers. */
  public long unknownPeerInits() {
    return unknownPeerInits.get();
  }

  // ------------------------------------------------------------------ datagrams

  private void onDatagram(byte[] msg, InetSocketAddress local, InetSocketAddress remote) {
    IkeHeader h;
    try {
      h = IkeHeader.decode(msg);
    } catch (IkeProtocolException e) {
      dropped.incrementAndGet();
      log.debug("dropped datagram from {}: {}", remote, e.getMessage());
      return;
    }
    if (h.exchange() == ExchangeType.IKE_SA_INIT && !h.isResponse() && h.responderSpi() == 0) {
      onInitRequest(msg, h, local, remote);
      return;
    }
    long ours = h.fromOriginalInitiator() ? h.responderSpi() : h.initiatorSpi();
    IkeSa sa = sas.get(ours);
    if (sa == null) {
      dropped.incrementAndGet();
      log.debug("no IKE SA for {} from {}", h, remote);
      return;
    }
    sa.receive(msg, h, local, remote);
  }

  private void onInitRequest(byte[] msg, IkeHeader h, InetSocketAddress local, InetSocketAddress remote) {
    String key = remote.getAddress().getHostAddress() + "/" + Long.toHexString(h.initiatorSpi());
    IkeSa existing = halfOpen.get(key);
    if (existing != null) {
      existing.receive(msg, h, local, remote);
      return;
    }
    IkeConnection c = byEndpoints.get(new Endpoints(local.getAddress(), remote.getAddress()));
    if (c == null || c.mode() == ConnectionMode.INITIATOR_ONLY) {
      unknownPeerInits.incrementAndGet();
      log.debug("IKE_SA_INIT from {} matches no connection that accepts peers", remote);
      return;
    }
    if (halfOpen.size() >= options.cookieThreshold() && !hasValidCookie(msg, h, local, remote)) {
      return;
    }
    IkeSa sa = IkeSa.newResponder(host, c, h.initiatorSpi(), local, remote);
    halfOpen.put(key, sa);
    halfOpenKey.put(sa, key);
    sa.receive(msg, h, local, remote);
  }

  /** Checks the COOKIE or answers statelessly with a fresh one (RFC 7296 §2.6). */
  private boolean hasValidCookie(byte[] msg, IkeHeader h, InetSocketAddress local, InetSocketAddress remote) {
    if (!(IkeMessage.decode(msg, null, null) instanceof DecodeResult.Ok ok)) {
      dropped.incrementAndGet();
      return false;
    }
    byte[] ni = ok.message().first(NoncePayload.class).map(NoncePayload::nonce).orElse(null);
    if (ni == null) {
      dropped.incrementAndGet();
      return false;
    }
    var first = ok.message().payloads().isEmpty() ? null : ok.message().payloads().getFirst();
    if (first instanceof NotifyPayload n && n.is(NotifyType.COOKIE)
        && cookies.valid(n.data(), ni, remote.getAddress(), h.initiatorSpi())) {
      return true;
    }
    byte[] cookie = cookies.make(ni, remote.getAddress(), h.initiatorSpi());
    IkeMessage reply = new IkeMessage(IkeHeader.of(h.initiatorSpi(), 0, ExchangeType.IKE_SA_INIT, false, true, 0),
        List.of(NotifyPayload.of(NotifyType.COOKIE, cookie)));
    cookiesSent.incrementAndGet();
    transport.send(local, remote, reply.encode());
    return false;
  }

  @Override
  public void close() {
    for (IkeSa sa : sas.values()) {
      sa.destroyLocally("daemon stopped");
    }
    transport.setReceiver((m, l, r) -> { });
    if (ownScheduler) {
      scheduler.shutdownNow();
    }
  }

  // ------------------------------------------------------------------ host for the SAs

  private final class Host implements IkeSaHost {
    @Override
    public IkeTransport transport() {
      return transport;
    }

    @Override
    public int fragmentSize() {
      return options.fragmentSize();
    }

    @Override
    public SaManager saManager() {
      return saManager;
    }

    @Override
    public SecureRandom random() {
      return options.random();
    }

    @Override
    public NonceGenerator nonces() {
      return options.nonces();
    }

    @Override
    public KeyExchangeFactory keyExchanges() {
      return options.keyExchanges();
    }

    @Override
    public Clock clock() {
      return options.clock();
    }

    @Override
    public ScheduledExecutorService scheduler() {
      return scheduler;
    }

    @Override
    public long newIkeSpi() {
      while (true) {
        long s = options.random().nextLong();
        if (s != 0 && !sas.containsKey(s)) {
          return s;
        }
      }
    }

    @Override
    public int newChildSpi() {
      while (true) {
        int s = options.random().nextInt();
        if (Integer.compareUnsigned(s, 256) >= 0 && childSpis.add(s)) {
          return s;
        }
      }
    }

    @Override
    public void register(long ourSpi, IkeSa sa) {
      sas.put(ourSpi, sa);
      sasOf.computeIfAbsent(sa.connection().name(), k -> ConcurrentHashMap.newKeySet()).add(sa);
    }

    @Override
    public void unregister(long ourSpi, IkeSa sa) {
      sas.remove(ourSpi, sa);
      sasOf.computeIfPresent(sa.connection().name(), (k, set) -> {
        set.remove(sa);
        return set.isEmpty() ? null : set;
      });
      leaveHalfOpen(sa);
    }

    private void leaveHalfOpen(IkeSa sa) {
      String key = halfOpenKey.remove(sa);
      if (key != null) {
        halfOpen.remove(key, sa);
      }
    }

    @Override
    public void publish(IkeSa sa, IkeSaStatus status) {
      String name = status.connection();
      if (status.state() != IkeSaState.CONNECTING) {
        leaveHalfOpen(sa);
      }
      IkeSa cur = current.get(name);
      boolean isCurrent = cur == sa;
      if (status.state() == IkeSaState.ESTABLISHED && !isCurrent) {
        // A newly established SA (responder, or the product of a rekey) becomes the current one.
        current.put(name, sa);
        isCurrent = true;
      } else if (cur == null || cur.state() == IkeSaState.DESTROYED || cur.state() == IkeSaState.FAILED) {
        if (!isCurrent && status.state() == IkeSaState.CONNECTING) {
          current.put(name, sa);
        }
        isCurrent = true;
      }
      if (isCurrent) {
        statuses.put(name, status);
        try {
          statusListener.accept(status);
        } catch (RuntimeException e) {
          log.warn("status listener failed for {}", name, e);
        }
        if (status.state() == IkeSaState.ESTABLISHED) {
          reconnectAttempts.remove(name);
        } else if (status.state() == IkeSaState.DESTROYED || status.state() == IkeSaState.FAILED) {
          scheduleReconnect(name);
        }
      }
    }

    private void scheduleReconnect(String name) {
      IkeConnection c = connections.get(name);
      if (options.reconnectDelay() == null || c == null || c.mode() == ConnectionMode.RESPONDER_ONLY
          || adminDown.contains(name)) {
        return;
      }
      int attempt = reconnectAttempts.merge(name, 1, Integer::sum);
      long delay = options.reconnectDelay().toMillis() << Math.min(attempt - 1, 5);
      log.info("{}: dialing again in {} ms (attempt {})", name, delay, attempt);
      scheduler.schedule(() -> {
        IkeSa cur = current.get(name);
        boolean down = cur == null || cur.state() == IkeSaState.DESTROYED || cur.state() == IkeSaState.FAILED;
        if (down && connections.containsKey(name) && !adminDown.contains(name)) {
          IkeSa sa = IkeSa.newInitiator(host, connections.get(name));
          current.put(name, sa);
          sa.start();
        }
      }, delay, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Override
    public void rekeyChild(String connection, int inboundSpi) {
      sasOf(connection).forEach(s -> s.rekeyChild(inboundSpi));
    }

    @Override
    public void initialContact(IkeSa sa) {
      sasOf(sa.connection().name()).stream().filter(o -> o != sa)
          .forEach(o -> o.destroyLocally("replaced: peer sent INITIAL_CONTACT"));
    }
  }
}
