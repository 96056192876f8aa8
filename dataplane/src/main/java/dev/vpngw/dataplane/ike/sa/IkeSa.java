package dev.vpngw.dataplane.ike.sa;

import dev.vpngw.dataplane.esp.EspSaParams;
import dev.vpngw.dataplane.esp.SelectorRanges;
import dev.vpngw.dataplane.ike.IkeConnection;
import dev.vpngw.dataplane.ike.IkeSaState;
import dev.vpngw.dataplane.ike.IkeSaStatus;
import dev.vpngw.dataplane.ike.NatTraversal;
import dev.vpngw.dataplane.ike.crypto.ChildKeys;
import dev.vpngw.dataplane.ike.crypto.IkeSaKeys;
import dev.vpngw.dataplane.ike.crypto.IkeSuite;
import dev.vpngw.dataplane.ike.error.IkeProtocolException;
import dev.vpngw.dataplane.ike.error.InvalidSyntaxException;
import dev.vpngw.dataplane.ike.message.DecodeResult;
import dev.vpngw.dataplane.ike.message.ExchangeType;
import dev.vpngw.dataplane.ike.message.FragmentAssembler;
import dev.vpngw.dataplane.ike.message.IkeHeader;
import dev.vpngw.dataplane.ike.message.IkeMessage;
import dev.vpngw.dataplane.ike.message.IkePayload;
import dev.vpngw.dataplane.ike.message.MessageProtection;
import dev.vpngw.dataplane.ike.message.NotifyPayload;
import dev.vpngw.dataplane.ike.message.NotifyType;
import dev.vpngw.dataplane.ike.proposal.WeakAlgorithms;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One IKE SA: a single-threaded actor (all methods run on its {@link SerialExecutor}). It owns the
 * message-ID windows (one request in flight each way), retransmission, the task queue, its child
 * SAs and their timers. Protocol steps live in the task classes.
 */
public final class IkeSa {
  private static final Logger log = LoggerFactory.getLogger(IkeSa.class);
  static final int NONCE_LENGTH = 32;
  static final int IKE_PORT = 500;
  static final int NATT_PORT = 4500;

  final IkeSaHost host;
  final IkeConnection conn;
  final SerialExecutor executor;

  /** We are the initiator of this IKE SA (I flag on our messages, SK_ei for sending). */
  boolean initiator;
  long spiI;
  long spiR;
  /** Written on the SA's thread only; volatile because the daemon reads it to decide on re-dials. */
  volatile IkeSaState state = IkeSaState.CREATED;
  IkeSuite suite;
  IkeSaKeys keys;
  private MessageProtection out;
  private MessageProtection in;
  private final FragmentAssembler fragments = new FragmentAssembler();
  InetSocketAddress local;
  InetSocketAddress remote;
  byte[] ni;
  byte[] nr;
  /** RealMessage1/2 of RFC 7296 §2.15: the IKE_SA_INIT request and response as sent. */
  byte[] initRequestRaw;
  byte[] initResponseRaw;
  /** What NAT detection (RFC 7296 §2.23) found in IKE_SA_INIT; inherited by rekeyed SAs. */
  NatTraversal nat = NatTraversal.NONE;
  /** Both sides sent FRAGMENTATION_SUPPORTED (RFC 7383). */
  boolean fragmentation;

  private int nextRequestId;
  private int expectedRequestId;
  private int cachedResponseId = -1;
  private List<byte[]> cachedResponse;
  private Task active;
  private int activeMessageId;
  private List<byte[]> activeBytes;
  private int retransmitCount;
  private Instant activeFirstSent;
  private ScheduledFuture<?> retransmitTimer;
  private final Deque<Task> queue = new ArrayDeque<>();

  final Map<Integer, ChildSa> children = new LinkedHashMap<>();
  /** Selector pairs with a CREATE_CHILD_SA of ours queued or in flight. */
  final java.util.Set<Integer> pendingPairs = new java.util.HashSet<>();
  /** Failed CREATE_CHILD_SA attempts per selector pair on this IKE SA; we give up after a few. */
  final Map<Integer, Integer> pairFailures = new java.util.HashMap<>();
  static final int MAX_CHILD_CREATE_FAILURES = 3;
  String lastError;
  String lastErrorNotify;
  Instant establishedAt;
  int ikeRekeys;
  int childRekeys;
  /** How often the peer's NAT mapping moved under this IKE SA lineage (RFC 7296 §2.23 updates). */
  int peerMoves;
  /** The last proof that the peer is alive: an authenticated IKE message, or ESP (see noteInboundEsp). */
  Instant lastInbound;
  /** When the DPD timer last read the child SAs' inbound counters. */
  private Instant espLookedAt;
  private volatile long lastSentNanos;
  /** Replaced by a rekeyed IKE SA: no longer publishes status or owns children. */
  boolean superseded;
  /** Gave its children to a successor: its own end (delete, timeout) is no news for the connection. */
  boolean handedOver;
  /** Our nonce of a pending IKE rekey, for collision resolution. */
  byte[] ikeRekeyNonce;
  private ScheduledFuture<?> rekeyTimer;
  private ScheduledFuture<?> dpdTimer;
  private ScheduledFuture<?> halfOpenTimer;
  private ScheduledFuture<?> graceTimer;

  private IkeSa(IkeSaHost host, IkeConnection conn, boolean initiator) {
    this.host = host;
    this.conn = conn;
    this.initiator = initiator;
    this.executor = new SerialExecutor(host.scheduler());
    this.lastInbound = host.clock().instant();
  }

  /** A new SA that will dial {@code conn}; call {@link #start()}. */
  public static IkeSa newInitiator(IkeSaHost host, IkeConnection conn) {
    IkeSa sa = new IkeSa(host, conn, true);
    sa.spiI = host.newIkeSpi();
    sa.local = new InetSocketAddress(conn.local(), IKE_PORT);
    sa.remote = new InetSocketAddress(conn.remote(), IKE_PORT);
    host.register(sa.spiI, sa);
    return sa;
  }

  /** A responder SA for a peer's first IKE_SA_INIT; the daemon hands the request to {@link #receive}. */
  public static IkeSa newResponder(IkeSaHost host, IkeConnection conn, long peerSpi, InetSocketAddress local,
      InetSocketAddress remote) {
    IkeSa sa = new IkeSa(host, conn, false);
    sa.spiI = peerSpi;
    sa.spiR = host.newIkeSpi();
    sa.local = local;
    sa.remote = remote;
    sa.state = IkeSaState.CONNECTING;
    host.register(sa.spiR, sa);
    sa.halfOpenTimer = sa.schedule(conn.timers().halfOpenTimeout(), () -> {
      if (sa.state == IkeSaState.CONNECTING) {
        // Unauthenticated, possibly spoofed: gone without a trace in the connection's status.
        sa.discard();
      }
    });
    return sa;
  }

  /** The SA that replaces {@code old} after an IKE rekey (RFC 7296 §2.18); children move by {@link #adoptChildrenFrom}. */
  static IkeSa fromRekey(IkeSa old, boolean initiator, long spiI, long spiR, IkeSuite suite, IkeSaKeys keys,
      boolean unused) {
    IkeSa sa = new IkeSa(old.host, old.conn, initiator);
    sa.spiI = spiI;
    sa.spiR = spiR;
    sa.setKeys(keys);
    sa.local = old.local;
    sa.remote = old.remote;
    sa.nat = old.nat;
    sa.fragmentation = old.fragmentation;
    sa.ikeRekeys = old.ikeRekeys + 1;
    sa.childRekeys = old.childRekeys;
    sa.peerMoves = old.peerMoves;
    sa.establishedAt = old.host.clock().instant();
    sa.state = IkeSaState.ESTABLISHED;
    // Provisional until it adopts the children: a collision loser never shows up in status.
    sa.superseded = true;
    sa.host.register(sa.ourSpi(), sa);
    sa.executor.execute(sa::scheduleIkeTimers);
    return sa;
  }

  /** Moves every child of {@code old} (running on old's thread) to this SA. */
  void adoptChildrenFrom(IkeSa old) {
    List<ChildSa> moved = new ArrayList<>(old.children.values());
    old.children.clear();
    old.superseded = true;
    old.handedOver = true;
    int rekeys = old.childRekeys;
    String was = String.format("%016x/%016x", old.spiI, old.spiR);
    executor.execute(() -> {
      superseded = false;
      log.info("{}: IKE SA {} takes over {} child SA(s) from rekeyed IKE SA {}", conn.name(),
          String.format("%016x/%016x", spiI, spiR), moved.size(), was);
      childRekeys = Math.max(childRekeys, rekeys);
      for (ChildSa c : moved) {
        c.cancelTimers();
        children.put(c.inboundSpi, c);
        scheduleChildTimers(c);
        if (c.state == ChildSa.State.DELETING) {
          // Its Delete went out on the old IKE SA, which is gone now: send it again on this one,
          // or the pair would linger half-deleted.
          queue(new ChildDeleteTask(this, c));
        }
      }
      publish();
      retryLater(this::createMissingChildren);
    });
  }

  /**
   * A new SA that lost a rekey collision: the peer deletes it; it never left provisional state. If
   * the peer never does (strongSwan aborts its own rekey without a Delete when our Delete of the old
   * SA reaches it before our response), it goes silently after the delete grace period.
   */
  void markRedundant() {
    executor.execute(() -> {
      log.debug("{}: redundant IKE SA {} awaits the peer's delete", conn.name(), this);
      graceTimer = schedule(conn.timers().deleteGrace(), () -> {
        if (state != IkeSaState.DESTROYED && state != IkeSaState.FAILED) {
          log.info("{}: redundant IKE SA {} not deleted by the peer, removing it", conn.name(), this);
          discard();
        }
      });
    });
  }

  /** The peer's simultaneous IKE rekey: its Ni, our Nr and the SA its exchange created. */
  record Collision(byte[] peerNonce, byte[] ourNonce, IkeSa created) {}

  Collision ikeCollision;
  int ikeRekeyAttempts;

  boolean childRekeyInProgress() {
    return active instanceof ChildRekeyTask;
  }

  public IkeConnection connection() {
    return conn;
  }

  public long ourSpi() {
    return initiator ? spiI : spiR;
  }

  /** Starts the initiator's IKE_SA_INIT + IKE_AUTH (with the first child SA). */
  public void start() {
    executor.execute(() -> {
      state = IkeSaState.CONNECTING;
      publish();
      queue(new IkeInitTask(this));
      queue(new IkeAuthTask(this));
    });
  }

  /** Deletes the IKE SA and its children with the peer (INFORMATIONAL Delete). */
  public void terminate() {
    executor.execute(() -> {
      if (state == IkeSaState.ESTABLISHED) {
        queue(new IkeDeleteTask(this));
      } else if (state != IkeSaState.DESTROYED && state != IkeSaState.FAILED) {
        destroy(IkeSaState.DESTROYED);
      }
    });
  }

  /** Destroys silently (peer gone, INITIAL_CONTACT replaced us). */
  public void destroyLocally(String reason) {
    executor.execute(() -> {
      if (state != IkeSaState.DESTROYED && state != IkeSaState.FAILED) {
        lastError = reason;
        destroy(IkeSaState.DESTROYED);
      }
    });
  }

  /** Starts a rekey of the child SA with this inbound or outbound SPI (soft byte lifetime reached). */
  public void rekeyChild(int inboundSpi) {
    executor.execute(() -> {
      ChildSa c = children.get(inboundSpi);
      if (c == null) {
        c = childByOutbound(inboundSpi);
      }
      if (c != null && c.state == ChildSa.State.INSTALLED && state == IkeSaState.ESTABLISHED) {
        queue(new ChildRekeyTask(this, c));
      }
    });
  }

  /** Deletes the child SA with this inbound SPI with the peer (tests, admin); its pair is re-created. */
  public void deleteChild(int inboundSpi) {
    executor.execute(() -> {
      ChildSa c = children.get(inboundSpi);
      if (c != null && c.state == ChildSa.State.INSTALLED && state == IkeSaState.ESTABLISHED) {
        queue(new ChildDeleteTask(this, c));
      }
    });
  }

  /** Starts an IKE SA rekey now (tests, admin). */
  public void rekeyIke() {
    executor.execute(() -> {
      if (state == IkeSaState.ESTABLISHED) {
        queue(new IkeRekeyTask(this));
      }
    });
  }

  public IkeSaState state() {
    return state;
  }

  /** A datagram for this SA; runs on the SA's thread. */
  public void receive(byte[] raw, IkeHeader header, InetSocketAddress at, InetSocketAddress from) {
    executor.execute(() -> onDatagram(raw, header, at, from));
  }

  // ---------------------------------------------------------------- task queue and requests

  void queue(Task t) {
    queue.add(t);
    runNext();
  }

  /** Puts a task in front of the queue (a delete that must follow a rekey at once). */
  void queueFirst(Task t) {
    queue.addFirst(t);
    runNext();
  }

  boolean busy() {
    return active != null || !queue.isEmpty();
  }

  Task activeTask() {
    return active;
  }

  private void runNext() {
    if (active != null || queue.isEmpty() || state == IkeSaState.DESTROYED || state == IkeSaState.FAILED) {
      return;
    }
    active = queue.poll();
    activeMessageId = nextRequestId;
    activeFirstSent = host.clock().instant();
    sendActiveRequest();
  }

  private void sendActiveRequest() {
    List<IkePayload> payloads;
    try {
      payloads = active.build();
    } catch (IkeProtocolException | RuntimeException e) {
      taskFailed(active, describe(e), e instanceof IkeProtocolException p ? p.notifyName() : null);
      return;
    }
    if (payloads == null) {
      // The task decided it has nothing to do (e.g. the child it would rekey is gone).
      active = null;
      runNext();
      return;
    }
    IkeMessage m = new IkeMessage(IkeHeader.of(spiI, spiR, active.exchange(), initiator, false, activeMessageId), payloads);
    activeBytes = encode(m);
    if (active.exchange() == ExchangeType.IKE_SA_INIT) {
      initRequestRaw = activeBytes.getFirst();
    }
    log.debug("{} > {}{}", conn.name(), m, activeBytes.size() > 1 ? " in " + activeBytes.size() + " fragments" : "");
    retransmitCount = 0;
    transmit(activeBytes);
    armRetransmit();
  }

  private void armRetransmit() {
    if (retransmitTimer != null) {
      retransmitTimer.cancel(false);
    }
    List<Duration> schedule = conn.timers().retransmits();
    Duration wait = schedule.get(Math.min(retransmitCount, schedule.size() - 1));
    if (establishedAt != null) {
      // Azure's dpdTimeoutSeconds bounds how long an established peer may stay silent: wake up at
      // that deadline even if the retransmission schedule would wait longer.
      Duration left = conn.dpdTimeout().minus(Duration.between(lastInbound, host.clock().instant()));
      if (left.compareTo(wait) < 0) {
        wait = left.isNegative() ? Duration.ZERO : left;
      }
    }
    Task t = active;
    retransmitTimer = schedule(wait, () -> onRetransmitTimer(t));
  }

  private void onRetransmitTimer(Task t) {
    if (active != t || t == null) {
      return;
    }
    retransmitCount++;
    Duration elapsed = Duration.between(activeFirstSent, host.clock().instant());
    boolean deadlinePassed = establishedAt != null
        && Duration.between(lastInbound, host.clock().instant()).compareTo(conn.dpdTimeout()) >= 0;
    if (retransmitCount >= conn.timers().retransmits().size() || deadlinePassed) {
      String reason = "peer not responding: " + t + " unanswered after " + elapsed.toMillis() + " ms";
      log.info("{}: {}", conn.name(), reason);
      active = null;
      lastErrorNotify = null;
      lastError = reason;
      t.failed(reason);
      destroy(establishedAt == null ? IkeSaState.FAILED : IkeSaState.DESTROYED);
      return;
    }
    log.debug("{}: retransmit {} #{}", conn.name(), t, retransmitCount);
    transmit(activeBytes);
    armRetransmit();
  }

  private List<byte[]> encode(IkeMessage m) {
    if (m.header().exchange() == ExchangeType.IKE_SA_INIT) {
      return List.of(m.encode());
    }
    return fragmentation ? m.encodeProtectedFragments(out, host.fragmentSize()) : List.of(m.encodeProtected(out));
  }

  private void transmit(List<byte[]> datagrams) {
    datagrams.forEach(d -> host.transport().send(local, remote, d));
    lastSentNanos = System.nanoTime();
  }

  /** When this SA last sent a datagram (System.nanoTime; 0: never), for NAT-T keepalive suppression. */
  public long lastSentNanos() {
    return lastSentNanos;
  }

  private void taskFailed(Task t, String reason, String notifyName) {
    if (retransmitTimer != null) {
      retransmitTimer.cancel(false);
    }
    if (active == t) {
      active = null;
      nextRequestId++;
    }
    t.failed(reason);
    if (t.fatal()) {
      fail(reason, notifyName);
    } else {
      log.info("{}: {} failed: {}", conn.name(), t, reason);
      lastError = reason;
      lastErrorNotify = notifyName;
      publish();
      runNext();
    }
  }

  // ---------------------------------------------------------------- receiving

  private void onDatagram(byte[] raw, IkeHeader h, InetSocketAddress at, InetSocketAddress from) {
    if (state == IkeSaState.DESTROYED || state == IkeSaState.FAILED) {
      return;
    }
    if (h.isResponse()) {
      onResponse(raw, h, at, from);
    } else {
      onRequest(raw, h, at, from);
    }
  }

  private void onResponse(byte[] raw, IkeHeader h, InetSocketAddress at, InetSocketAddress from) {
    if (active == null || h.messageId() != activeMessageId || h.exchange() != active.exchange()) {
      log.debug("{}: unexpected response {}", conn.name(), h);
      return;
    }
    DecodeResult r = IkeMessage.decode(raw, h.exchange() == ExchangeType.IKE_SA_INIT ? null : in, fragments);
    switch (r) {
      case DecodeResult.Partial p -> { }
      case DecodeResult.UnprotectedError e -> log.debug("{}: dropped response: {}", conn.name(), e.error().getMessage());
      case DecodeResult.ProtectedError e -> taskFailed(active, describe(e.error()), e.error().notifyName());
      case DecodeResult.Ok ok -> {
        lastInbound = host.clock().instant();
        if (h.exchange() != ExchangeType.IKE_SA_INIT) {
          updateEndpoints(at, from, "authenticated IKE response");
        }
        log.debug("{} < {}", conn.name(), ok.message());
        Task t = active;
        retransmitTimer.cancel(false);
        Task.Outcome outcome;
        try {
          outcome = t.process(ok.message(), raw);
        } catch (IkeProtocolException e) {
          taskFailed(t, describe(e), e.notifyName());
          return;
        } catch (RuntimeException e) {
          log.warn("{}: {} crashed on response", conn.name(), t, e);
          taskFailed(t, t + " failed: " + e, null);
          return;
        }
        if (active != t) {
          return; // the task destroyed the SA or replaced it
        }
        if (outcome == Task.Outcome.RETRY) {
          sendActiveRequest();
        } else {
          active = null;
          nextRequestId++;
          runNext();
        }
      }
    }
  }

  private void onRequest(byte[] raw, IkeHeader h, InetSocketAddress at, InetSocketAddress from) {
    if (h.messageId() == cachedResponseId && cachedResponse != null) {
      // A retransmitted request: answer with the identical response (RFC 7296 §2.1).
      cachedResponse.forEach(d -> host.transport().send(at, from, d));
      lastSentNanos = System.nanoTime();
      return;
    }
    if (h.messageId() != expectedRequestId) {
      log.debug("{}: request {} outside window (expected {})", conn.name(), h, expectedRequestId);
      return;
    }
    ExchangeType ex = h.exchange();
    DecodeResult r = IkeMessage.decode(raw, ex == ExchangeType.IKE_SA_INIT ? null : in, fragments);
    List<IkePayload> response;
    switch (r) {
      case DecodeResult.Partial p -> {
        return;
      }
      case DecodeResult.UnprotectedError e -> {
        log.debug("{}: dropped request: {}", conn.name(), e.error().getMessage());
        if (ex == ExchangeType.IKE_SA_INIT) {
          fail("invalid IKE_SA_INIT: " + e.error().getMessage(), e.error().notifyName());
        }
        return;
      }
      case DecodeResult.ProtectedError e -> response = List.of(NotifyPayload.error(e.error().notifyType(), e.error().notifyData()));
      case DecodeResult.Ok ok -> {
        lastInbound = host.clock().instant();
        updateEndpoints(at, from, "authenticated IKE request");
        log.debug("{} < {}", conn.name(), ok.message());
        response = handleRequest(ok.message(), raw);
      }
    }
    if (state == IkeSaState.FAILED && ex != ExchangeType.IKE_SA_INIT && ex != ExchangeType.IKE_AUTH) {
      return;
    }
    IkeMessage m = new IkeMessage(IkeHeader.of(spiI, spiR, ex, initiator, true, h.messageId()), response);
    List<byte[]> bytes = encode(m);
    if (ex == ExchangeType.IKE_SA_INIT) {
      initResponseRaw = bytes.getFirst();
    }
    log.debug("{} > {}{}", conn.name(), m, bytes.size() > 1 ? " in " + bytes.size() + " fragments" : "");
    cachedResponse = bytes;
    cachedResponseId = h.messageId();
    expectedRequestId++;
    bytes.forEach(d -> host.transport().send(at, from, d));
    lastSentNanos = System.nanoTime();
    afterResponseSent();
  }

  /** Work the responder defers until its response is on the wire (e.g. handing over to a new SA). */
  private final List<Runnable> afterResponse = new ArrayList<>();

  void afterResponse(Runnable r) {
    afterResponse.add(r);
  }

  private void afterResponseSent() {
    List<Runnable> todo = new ArrayList<>(afterResponse);
    afterResponse.clear();
    todo.forEach(Runnable::run);
  }

  private List<IkePayload> handleRequest(IkeMessage req, byte[] raw) {
    try {
      return switch (req.header().exchange()) {
        case IKE_SA_INIT -> {
          if (state != IkeSaState.CONNECTING || keys != null) {
            throw new InvalidSyntaxException("IKE_SA_INIT on an initialised SA");
          }
          yield IkeInitTask.respond(this, req, raw);
        }
        case IKE_AUTH -> {
          if (state != IkeSaState.CONNECTING || keys == null || initiator) {
            throw new InvalidSyntaxException("IKE_AUTH in state " + state);
          }
          yield IkeAuthTask.respond(this, req);
        }
        case CREATE_CHILD_SA -> {
          requireEstablished();
          if (req.notify(NotifyType.REKEY_SA).isPresent()) {
            yield ChildRekeyTask.respond(this, req);
          }
          boolean ikeRekey = req.first(dev.vpngw.dataplane.ike.message.SaPayload.class)
              .map(s -> !s.proposals().isEmpty() && s.proposals().getFirst().protocolId() == dev.vpngw.dataplane.ike.message.Proposal.PROTO_IKE)
              .orElse(false);
          if (ikeRekey) {
            yield IkeRekeyTask.respond(this, req);
          }
          yield ChildCreateTask.respond(this, req);
        }
        case INFORMATIONAL -> {
          if (keys == null) {
            throw new InvalidSyntaxException("INFORMATIONAL before keys exist");
          }
          yield InformationalResponder.respond(this, req);
        }
      };
    } catch (IkeProtocolException e) {
      ExchangeType ex = req.header().exchange();
      log.info("{}: answering {} with {}: {}", conn.name(), ex, e.notifyName(), e.getMessage());
      if (e instanceof dev.vpngw.dataplane.ike.error.InvalidKePayloadException) {
        // Not a failure: the peer retries with the group we named, creating a fresh SA.
        afterResponse(this::discard);
      } else if (ex == ExchangeType.IKE_SA_INIT || ex == ExchangeType.IKE_AUTH) {
        // The response still goes out (sent by onRequest), then the SA is gone.
        afterResponse(() -> fail(describe(e), e.notifyName()));
      }
      return List.of(NotifyPayload.error(e.notifyType(), e.notifyData()));
    }
  }

  private void requireEstablished() throws IkeProtocolException {
    if (state != IkeSaState.ESTABLISHED && state != IkeSaState.REKEYING) {
      throw new dev.vpngw.dataplane.ike.error.TemporaryFailureException("IKE SA is " + state);
    }
  }

  // ---------------------------------------------------------------- keys, children, life cycle

  void setKeys(IkeSaKeys k) {
    this.keys = k;
    this.suite = k.suite();
    this.out = k.protection(initiator, host.random());
    this.in = k.protection(!initiator, host.random());
  }

  /**
   * Follows the peer to the address an authenticated, new (not retransmitted) message came from.
   * While the SA is being set up that is how the peer floats to 4500; once established RFC 7296
   * §2.23 allows it only when we are not behind a NAT ourselves (else one spoofed-looking packet
   * could move us), and the child SAs' outbound ESP follows.
   */
  void updateEndpoints(InetSocketAddress at, InetSocketAddress from, String why) {
    if (from.equals(remote) && at.equals(local)) {
      return;
    }
    if (establishedAt == null || state == IkeSaState.CONNECTING) {
      remote = from;
      local = at;
      return;
    }
    if (nat.localBehindNat()) {
      log.debug("{}: ignoring peer endpoint {} (we are behind a NAT; staying with {})", conn.name(), from, remote);
      return;
    }
    local = at;
    if (!from.equals(remote)) {
      movePeer(from, why);
    }
  }

  /** The packet path saw authenticated ESP of one of our child SAs arrive from {@code from}. */
  public void espSourceChanged(int inboundSpi, InetSocketAddress from) {
    executor.execute(() -> {
      if (state == IkeSaState.DESTROYED || state == IkeSaState.FAILED || superseded || !children.containsKey(inboundSpi)
          || from.equals(remote) || nat.localBehindNat()) {
        return;
      }
      movePeer(from, "authenticated ESP on SPI " + hex(inboundSpi));
    });
  }

  private void movePeer(InetSocketAddress to, String why) {
    log.info("{}: peer endpoint moved {} -> {} ({}; RFC 7296 §2.23, {})", conn.name(), remote, to, why, nat.describe());
    remote = to;
    peerMoves++;
    host.saManager().updateRemote(conn.name(), to);
    publish();
  }

  /** Switches to port 4500 (RFC 7296 §2.23) once IKE_SA_INIT is done: ESP always rides UDP 4500. */
  void floatToNatt() {
    local = new InetSocketAddress(local.getAddress(), NATT_PORT);
    remote = new InetSocketAddress(remote.getAddress(), NATT_PORT);
  }

  /**
   * Once IKE_AUTH authenticated the peer (and the first child SA has its keys) the IKE_SA_INIT
   * messages and nonces are never read again: about 0.7 KB per tunnel that need not stay.
   */
  void forgetInitMessagesOnceAuthenticated() {
    if (establishedAt != null) {
      initRequestRaw = null;
      initResponseRaw = null;
      ni = null;
      nr = null;
    }
  }

  void established() {
    state = IkeSaState.ESTABLISHED;
    establishedAt = host.clock().instant();
    if (halfOpenTimer != null) {
      halfOpenTimer.cancel(false);
    }
    log.atLevel(quiet() ? org.slf4j.event.Level.DEBUG : org.slf4j.event.Level.INFO).log(
        "{}: IKE SA established {} {} spi {}/{}, {} <-> {}, NAT: {}", conn.name(),
        initiator ? "initiator" : "responder", suite, Long.toHexString(spiI), Long.toHexString(spiR), local, remote,
        nat.describe());
    scheduleIkeTimers();
    publish();
  }

  /**
   * Installs a negotiated child SA in the data plane: inbound first so the peer's first packets are
   * accepted, then outbound (activated at once unless {@code activateOutbound} is false).
   *
   * @param childInitiator whether we initiated the CHILD SA exchange (picks the key halves)
   */
  ChildSa installChild(dev.vpngw.dataplane.ike.proposal.ChildSuite cs, int inSpi, int outSpi, ChildKeys k,
      boolean childInitiator, List<dev.vpngw.dataplane.ike.message.TrafficSelector> localTs,
      List<dev.vpngw.dataplane.ike.message.TrafficSelector> remoteTs, boolean activateOutbound) {
    long lifeBytes = conn.childPolicy().lifetimeKilobytes() * 1024L;
    long soft = (long) (lifeBytes * (1 - conn.timers().rekeyMargin()));
    var sm = host.saManager();
    SelectorRanges ranges = SelectorRanges.of(ranges(localTs), ranges(remoteTs));
    sm.addSa(new EspSaParams(conn.name(), EspSaParams.Direction.INBOUND, inSpi, cs.espTransform(),
        k.encryptionKey(!childInitiator), k.integrityKey(!childInitiator), cs.esn(), local, remote,
        dev.vpngw.dataplane.esp.ReplayWindow.DEFAULT_SIZE, soft, ranges));
    sm.addSa(new EspSaParams(conn.name(), EspSaParams.Direction.OUTBOUND, outSpi, cs.espTransform(),
        k.encryptionKey(childInitiator), k.integrityKey(childInitiator), cs.esn(), local, remote, 0, soft, ranges));
    ChildSa c = new ChildSa(cs, inSpi, outSpi, localTs, remoteTs, host.clock().instant(), childInitiator);
    if (activateOutbound) {
      sm.switchOutbound(conn.name(), outSpi);
      c.outboundActive = true;
    }
    children.put(inSpi, c);
    Duration life = conn.childPolicy().lifetime();
    c.rekeyAt = c.establishedAt.plus(rekeyDelay(life));
    c.expireAt = c.establishedAt.plus(life);
    scheduleChildTimers(c);
    log.atLevel(quiet() ? org.slf4j.event.Level.DEBUG : org.slf4j.event.Level.INFO).log(
        "{}: child SA installed in={} out={} {}", conn.name(), hex(inSpi), hex(outSpi), cs);
    return c;
  }

  /** The start-up warm-up's in-memory handshakes (hundreds of them) are logged at debug only. */
  private boolean quiet() {
    return dev.vpngw.dataplane.ike.IkeWarmup.CONNECTION.equals(conn.name());
  }

  /** The IPv4 ranges of {@code ts} for the packet path (IPv6 selectors carry no IPv4 packet). */
  private static List<SelectorRanges.Range> ranges(List<dev.vpngw.dataplane.ike.message.TrafficSelector> ts) {
    return ts.stream().filter(dev.vpngw.dataplane.ike.message.TrafficSelector::isIpv4)
        .map(t -> new SelectorRanges.Range(ipv4(t.start()), ipv4(t.end()))).toList();
  }

  private static int ipv4(java.net.InetAddress a) {
    byte[] b = a.getAddress();
    return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
  }

  /** Whether selector pair {@code pair} has a child SA (installed or being rekeyed). */
  boolean pairCovered(int pair) {
    for (ChildSa c : children.values()) {
      if (c.pair == pair && c.state != ChildSa.State.DELETING) {
        return true;
      }
    }
    return false;
  }

  /** How long a responder leaves the initiator to create its further children before filling the gaps. */
  Duration responderChildGrace() {
    return conn.timers().retransmits().getFirst().multipliedBy(4);
  }

  /** After {@code delay}, creates a child SA (CREATE_CHILD_SA) for every selector pair that has none. */
  void createMissingChildrenSoon(Duration delay) {
    schedule(delay, this::createMissingChildren);
  }

  private void createMissingChildren() {
    if (state != IkeSaState.ESTABLISHED || superseded) {
      return;
    }
    var pairs = conn.childPairs();
    for (int i = 0; i < pairs.size(); i++) {
      if (pendingPairs.contains(i) || pairCovered(i) || pairFailures.getOrDefault(i, 0) >= MAX_CHILD_CREATE_FAILURES) {
        continue;
      }
      pendingPairs.add(i);
      log.info("{}: creating child SA for selector pair {} {} <-> {}", conn.name(), i, pairs.get(i).local(),
          pairs.get(i).remote());
      queue(new ChildCreateTask(this, i));
    }
  }

  void activateOutbound(ChildSa c) {
    if (!c.outboundActive && children.containsKey(c.inboundSpi)) {
      host.saManager().switchOutbound(conn.name(), c.outboundSpi);
      c.outboundActive = true;
    }
  }

  /** Sends the tunnel's traffic on {@code c}'s outbound SA from now on (even if it did before). */
  void useOutbound(ChildSa c) {
    if (children.get(c.inboundSpi) == c) {
      host.saManager().switchOutbound(conn.name(), c.outboundSpi);
      c.outboundActive = true;
    }
  }

  /** Removes a child pair from the data plane; the successor (if any) takes the tunnel's traffic. */
  void removeChild(ChildSa c) {
    c.cancelTimers();
    children.remove(c.inboundSpi);
    if (c.successor != null) {
      activateOutbound(c.successor);
    }
    host.saManager().deleteSa(EspSaParams.Direction.INBOUND, c.inboundSpi);
    host.saManager().deleteSa(EspSaParams.Direction.OUTBOUND, c.outboundSpi);
    log.atLevel(quiet() ? org.slf4j.event.Level.DEBUG : org.slf4j.event.Level.INFO).log(
        "{}: child SA removed in={} out={} ({})", conn.name(), hex(c.inboundSpi), hex(c.outboundSpi), this);
    if (c.successor == null && state == IkeSaState.ESTABLISHED && !superseded) {
      // Lost without a successor (peer's Delete, hard lifetime): bring its pair back, leave the others be.
      retryLater(this::createMissingChildren);
    }
  }

  ChildSa childByOutbound(int spi) {
    return children.values().stream().filter(c -> c.outboundSpi == spi).findFirst().orElse(null);
  }

  Collection<ChildSa> childList() {
    return List.copyOf(children.values());
  }

  private Duration rekeyDelay(Duration life) {
    double margin = conn.timers().rekeyMargin() + conn.timers().rekeyJitter() * host.random().nextDouble();
    return Duration.ofMillis((long) (life.toMillis() * (1 - margin)));
  }

  void scheduleChildTimers(ChildSa c) {
    Instant now = host.clock().instant();
    c.rekeyTimer = schedule(Duration.between(now, c.rekeyAt), () -> {
      if (children.get(c.inboundSpi) == c && c.state == ChildSa.State.INSTALLED && state == IkeSaState.ESTABLISHED) {
        queue(new ChildRekeyTask(this, c));
      }
    });
    c.expireTimer = schedule(Duration.between(now, c.expireAt), () -> {
      if (children.get(c.inboundSpi) == c) {
        log.info("{}: child SA {} reached its hard lifetime", conn.name(), c);
        queue(new ChildDeleteTask(this, c));
      }
    });
  }

  void scheduleIkeTimers() {
    rekeyTimer = schedule(rekeyDelay(conn.ikePolicy().lifetime()), () -> {
      if (state == IkeSaState.ESTABLISHED && !superseded) {
        queue(new IkeRekeyTask(this));
      }
    });
    armDpd();
  }

  /**
   * DPD (RFC 7296 §2.4): probe only when the peer has been silent for a third of the DPD timeout.
   * Any authenticated IKE message from it (its own DPD request too) and inbound ESP on any of our
   * child SAs count as proof of life, so with two such ends only the one whose timer runs out first
   * probes. The timer runs to the end of the silence rather than on a fixed period, so a probe goes
   * out as soon as the peer has been silent that long; a dead peer is still declared dead at
   * {@link #lastInbound} + dpdTimeout (see armRetransmit).
   */
  private void armDpd() {
    Duration delay = dpdDelay();
    if (delay.isZero() || delay.isNegative()) {
      return;
    }
    armDpd(delay);
  }

  private Duration dpdDelay() {
    return conn.dpdTimeout().dividedBy(3);
  }

  private void armDpd(Duration wait) {
    dpdTimer = schedule(onGrid(wait, dpdDelay()), this::onDpdTimer);
  }

  /**
   * Rounds a DPD wait up so that it ends on a grid of delay/8 (at most 1 s) of the wall clock: the
   * checks of thousands of idle tunnels then fire together and the scheduler's threads work through
   * them in a few wake-ups instead of one each. A probe goes out at most one grid step late; the
   * dead-peer deadline (lastInbound + dpdTimeout) does not move.
   */
  private Duration onGrid(Duration wait, Duration delay) {
    long grid = Math.max(2, Math.min(1000, delay.toMillis() / 8));
    // The two ends of an IKE SA use grids half a step apart (the original responder's is shifted),
    // so the peer's probe reaches one end before its own check comes due and only one of them probes.
    long phase = initiator ? 0 : grid / 2;
    long at = host.clock().millis() + Math.max(0, wait.toMillis()) - phase;
    long aligned = Math.ceilDiv(at, grid) * grid;
    return wait.plusMillis(aligned - at);
  }

  private void onDpdTimer() {
    if (superseded || state == IkeSaState.DESTROYED || state == IkeSaState.FAILED || state == IkeSaState.REKEYED) {
      return;
    }
    Duration delay = dpdDelay();
    Instant now = host.clock().instant();
    noteInboundEsp(now);
    Duration silent = Duration.between(lastInbound, now);
    if (silent.compareTo(delay) < 0) {
      armDpd(delay.minus(silent));
      return;
    }
    if (state == IkeSaState.ESTABLISHED && !busy()) {
      queue(new IkeDpdTask(this));
    }
    armDpd(delay);
  }

  /**
   * Moves {@link #lastInbound} forward if the packet path authenticated ESP on one of our child SAs
   * since the last look. Reads the SAs' existing counters: nothing is added to the packet path. The
   * SA's last-use time places the proof of life; it is clamped to (last look, now], so a counter
   * without a usable time can only make us probe earlier, never declare a dead peer later.
   */
  private void noteInboundEsp(Instant now) {
    Instant since = espLookedAt;
    espLookedAt = now;
    long nowNanos = System.nanoTime();
    for (ChildSa c : children.values()) {
      var stats = host.saManager().query(EspSaParams.Direction.INBOUND, c.inboundSpi).orElse(null);
      if (stats == null || stats.packets() <= c.inboundPacketsSeen) {
        continue;
      }
      c.inboundPacketsSeen = stats.packets();
      long ago = nowNanos - stats.lastUsedNanos();
      Instant at = ago >= 0 ? now.minusNanos(ago) : now;
      if (since != null && at.isBefore(since)) {
        at = since;
      }
      if (at.isAfter(lastInbound)) {
        lastInbound = at;
      }
    }
  }

  ScheduledFuture<?> schedule(Duration d, Runnable r) {
    long ms = Math.max(0, d.toMillis());
    // The timer fires on a thread of the pool the SA's executor runs on: run there (if the SA is
    // idle) instead of queueing a second task and waking another thread.
    return host.scheduler().schedule(() -> executor.executeHere(r), ms, TimeUnit.MILLISECONDS);
  }

  /** Fails the SA (setup error or peer dead) and removes everything it installed. */
  void fail(String reason, String notifyName) {
    lastError = reason;
    lastErrorNotify = notifyName;
    log.info("{}: IKE SA failed: {}", conn.name(), reason);
    destroy(establishedAt == null ? IkeSaState.FAILED : IkeSaState.DESTROYED);
  }

  void destroy(IkeSaState finalState) {
    if (state == IkeSaState.DESTROYED || state == IkeSaState.FAILED) {
      return;
    }
    state = finalState;
    for (ChildSa c : List.copyOf(children.values())) {
      removeChild(c);
    }
    for (ScheduledFuture<?> f : new ScheduledFuture<?>[] {retransmitTimer, rekeyTimer, dpdTimer, halfOpenTimer, graceTimer}) {
      if (f != null) {
        f.cancel(false);
      }
    }
    active = null;
    queue.clear();
    host.unregister(ourSpi(), this);
    publish();
  }

  /**
   * Runs {@code r} after a short random delay (one to two first retransmit intervals), e.g. a
   * rekey the peer refused with TEMPORARY_FAILURE (RFC 7296 §2.25).
   */
  void retryLater(Runnable r) {
    long base = conn.timers().retransmits().getFirst().toMillis();
    schedule(Duration.ofMillis(base + (long) (host.random().nextDouble() * base)), r);
  }

  /** Removes an SA that never authenticated, without publishing status. */
  void discard() {
    superseded = true;
    destroy(IkeSaState.DESTROYED);
  }

  /** After an IKE rekey: keep the old SA around to answer the peer's Delete, but not forever. */
  void supersededBy(IkeSa successor) {
    state = IkeSaState.REKEYED;
    for (ScheduledFuture<?> f : new ScheduledFuture<?>[] {rekeyTimer, dpdTimer}) {
      if (f != null) {
        f.cancel(false);
      }
    }
    graceTimer = schedule(conn.timers().deleteGrace().plus(conn.timers().totalRetransmitTime()),
        () -> destroy(IkeSaState.DESTROYED));
  }

  void recordError(IkeProtocolException e) {
    lastError = describe(e);
    lastErrorNotify = e.notifyName();
  }

  static String describe(Exception e) {
    return e instanceof IkeProtocolException p ? p.notifyName() + ": " + p.getMessage() : String.valueOf(e.getMessage());
  }

  static String hex(int spi) {
    return String.format("%08x", spi);
  }

  void publish() {
    if (handedOver || superseded && (state != IkeSaState.DESTROYED || establishedAt == null)) {
      return;
    }
    host.publish(this, status());
  }

  IkeSaStatus status() {
    List<String> weak = suite == null ? List.of() : WeakAlgorithms.of(suite);
    List<String> allWeak = new ArrayList<>(weak);
    children.values().forEach(c -> WeakAlgorithms.of(c.suite).stream().filter(w -> !allWeak.contains(w)).forEach(allWeak::add));
    return new IkeSaStatus(conn.name(), state, initiator, spiI, spiR, suite == null ? null : suite.toString(),
        local == null ? null : local.toString(), remote == null ? null : remote.toString(), establishedAt, ikeRekeys,
        childRekeys, children.values().stream().map(ChildSa::status).toList(), lastError, lastErrorNotify, allWeak,
        nat, peerMoves);
  }

  @Override
  public String toString() {
    return "IkeSa[" + conn.name() + " " + Long.toHexString(spiI) + "/" + Long.toHexString(spiR) + " " + state + "]";
  }
}
