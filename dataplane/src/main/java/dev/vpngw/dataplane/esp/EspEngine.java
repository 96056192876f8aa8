package dev.vpngw.dataplane.esp;

import dev.vpngw.dataplane.packet.Ipv4;
import dev.vpngw.dataplane.packet.PacketBuffer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The userspace ESP engine (RFC 4303, tunnel mode, IPv4 inner packets) and the real
 * {@link SaManager}: IKE installs SAs here; packet threads call {@link #encapsulate} and
 * {@link #decapsulate} on their own {@link PacketBuffer}s.
 *
 * <p>Packet-path data structures are immutable snapshots behind volatile fields (SPI table,
 * slot → outbound SA array) so control-plane changes never block or race packet threads. Each
 * packet thread passes its worker index (0 … workers-1) to select its own JCE instances.
 *
 * <p>Allocation per packet: none in this class. AES-GCM allocates inside the JCE on every
 * {@code Cipher.init} (see {@link GcmCrypto}); the CBC/HMAC and NULL transforms do not.
 */
public final class EspEngine implements SaManager, AutoCloseable {
  public static final int NEXT_HEADER_IPV4 = 4;
  public static final int NEXT_HEADER_DUMMY = 59;

  private final TunnelSlots slots;
  private final int workers;
  private final SpiMap inbound = new SpiMap();
  private final Map<Integer, OutboundSa> outboundBySpi = new ConcurrentHashMap<>();
  /**
   * Per tunnel slot the outbound SAs that carry its traffic: one per traffic-selector set (one child
   * SA per selector pair for policy-based tunnels, a single any/any SA for route-based ones).
   */
  private volatile OutboundSa[][] outboundBySlot = new OutboundSa[0][];
  private long installCounter;
  private final LongAdder[] drops = new LongAdder[Drop.VALUES.length];
  private final LongAdder encapsulated = new LongAdder();
  private final LongAdder decapsulated = new LongAdder();
  private final ExecutorService events = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "esp-events");
    t.setDaemon(true);
    return t;
  });
  private volatile SaEvents listener = new SaEvents() {
    @Override
    public void softLifetimeReached(String tunnel, EspSaParams.Direction direction, int spi) {}
  };
  private volatile long lastUnknownSpiEventNanos;
  private final java.util.Set<Integer> reservedSpis = new java.util.HashSet<>();
  private final java.security.SecureRandom spiRandom = new java.security.SecureRandom();

  /**
   * @param slots   tunnel name ↔ slot registry shared with the routing table
   * @param workers number of packet threads that will call in (each with its own index)
   */
  public EspEngine(TunnelSlots slots, int workers) {
    if (workers < 1 || workers > 256) {
      throw new IllegalArgumentException("workers " + workers + " must be 1..256");
    }
    this.slots = slots;
    this.workers = workers;
    for (int i = 0; i < drops.length; i++) {
      drops[i] = new LongAdder();
    }
  }

  public int workers() {
    return workers;
  }

  public TunnelSlots slots() {
    return slots;
  }

  // ---------------------------------------------------------------- control plane (SaManager)

  /**
   * A random inbound SPI that is neither installed nor handed out before (values below 256 are
   * reserved by IANA). IKE proposes it to the peer, then installs the SA with {@link #addSa}; a
   * reservation that is never installed is dropped with {@link #releaseSpi}.
   */
  public synchronized int allocateInboundSpi() {
    while (true) {
      int spi = spiRandom.nextInt();
      if ((spi & 0xFFFFFF00) != 0 && inbound.get(spi) == null && reservedSpis.add(spi)) {
        return spi;
      }
    }
  }

  /** Forgets an SPI reservation (the CHILD_SA negotiation failed). */
  public synchronized void releaseSpi(int spi) {
    reservedSpis.remove(spi);
  }

  /**
   * {@inheritDoc} The first outbound SA of a tunnel for a selector set becomes current right away
   * (a new CHILD_SA); later ones with the same selectors wait for {@link #switchOutbound} (rekey,
   * make-before-break).
   */
  @Override
  public void addSa(EspSaParams params) {
    if (params.spi() == 0) {
      throw new IllegalArgumentException("spi 0 is reserved (RFC 4303 §2.1)");
    }
    if (params.direction() == EspSaParams.Direction.INBOUND) {
      InboundSa sa = new InboundSa(params, workers);
      if (!inbound.putIfAbsent(params.spi(), sa)) {
        throw new IllegalArgumentException("inbound spi " + hex(params.spi()) + " already installed");
      }
      synchronized (this) {
        reservedSpis.remove(params.spi());
      }
      return;
    }
    if (params.remote() == null) {
      throw new IllegalArgumentException("outbound SA " + params + " needs a remote endpoint");
    }
    int slot = slots.slotOf(params.tunnel());
    OutboundSa sa = new OutboundSa(params, workers, slot);
    if (outboundBySpi.putIfAbsent(params.spi(), sa) != null) {
      throw new IllegalArgumentException("outbound spi " + hex(params.spi()) + " already installed");
    }
    synchronized (this) {
      sa.installOrder = ++installCounter;
      OutboundSa[] set = setOf(slot);
      if (indexOf(set, sa.selectors) < 0) {
        publish(slot, with(set, sa));
      }
    }
  }

  @Override
  public synchronized void switchOutbound(String tunnel, int spi) {
    OutboundSa sa = outboundBySpi.get(spi);
    if (sa == null || !sa.params.tunnel().equals(tunnel)) {
      throw new IllegalArgumentException("no outbound spi " + hex(spi) + " for tunnel " + tunnel);
    }
    publish(sa.slot, with(setOf(sa.slot), sa));
  }

  private static final OutboundSa[] NO_SAS = new OutboundSa[0];

  /** The tunnel's current outbound SAs, one per selector set (read with an acquire load). */
  private OutboundSa[] setOf(int slot) {
    OutboundSa[][] table = outboundBySlot;
    OutboundSa[] set = slot >= 0 && slot < table.length ? (OutboundSa[]) SLOT.getAcquire(table, slot) : null;
    return set != null ? set : NO_SAS;
  }

  private static int indexOf(OutboundSa[] set, SelectorRanges selectors) {
    for (int i = 0; i < set.length; i++) {
      if (set[i].selectors.sameAs(selectors)) {
        return i;
      }
    }
    return -1;
  }

  /** {@code set} with {@code sa} in the place of the SA with the same selectors, or appended. */
  private static OutboundSa[] with(OutboundSa[] set, OutboundSa sa) {
    int i = indexOf(set, sa.selectors);
    OutboundSa[] next = Arrays.copyOf(set, i < 0 ? set.length + 1 : set.length);
    next[i < 0 ? set.length : i] = sa;
    return next;
  }

  /**
   * Sets the tunnel's outbound SA set (under the engine's lock). Each slot's small set is replaced
   * whole; the slot array grows by doubling and is otherwise updated in place with a release store,
   * read with an acquire load: a new tunnel costs O(1), not a copy of every other tunnel's entry.
   */
  private void publish(int slot, OutboundSa[] set) {
    OutboundSa[] value = set.length == 0 ? null : set;
    OutboundSa[][] table = outboundBySlot;
    if (slot >= table.length) {
      table = Arrays.copyOf(table, Math.max(16, Integer.highestOneBit(slot) << 1));
      SLOT.setRelease(table, slot, value);
      outboundBySlot = table;
      return;
    }
    SLOT.setRelease(table, slot, value);
  }

  private static final java.lang.invoke.VarHandle SLOT =
      java.lang.invoke.MethodHandles.arrayElementVarHandle(OutboundSa[][].class);

  @Override
  public void deleteSa(EspSaParams.Direction direction, int spi) {
    if (direction == EspSaParams.Direction.INBOUND) {
      inbound.remove(spi);
      return;
    }
    OutboundSa sa = outboundBySpi.remove(spi);
    if (sa != null) {
      synchronized (this) {
        OutboundSa[] set = setOf(sa.slot);
        int i = indexOf(set, sa.selectors);
        if (i >= 0 && set[i] == sa) {
          // Another installed SA with the same selectors (a newer child for the same pair) takes over.
          OutboundSa fallback = outboundBySpi.values().stream()
              .filter(o -> o.slot == sa.slot && o.selectors.sameAs(sa.selectors))
              .max(java.util.Comparator.comparingLong(o -> o.installOrder)).orElse(null);
          if (fallback != null) {
            publish(sa.slot, with(set, fallback));
          } else {
            OutboundSa[] next = new OutboundSa[set.length - 1];
            System.arraycopy(set, 0, next, 0, i);
            System.arraycopy(set, i + 1, next, i, set.length - i - 1);
            publish(sa.slot, next);
          }
        }
      }
    }
  }

  @Override
  public void deleteTunnel(String tunnel) {
    List<Integer> in = new ArrayList<>();
    inbound.forEach(sa -> {
      if (sa.params.tunnel().equals(tunnel)) {
        in.add(sa.spi);
      }
    });
    in.forEach(spi -> inbound.remove(spi));
    for (OutboundSa sa : List.copyOf(outboundBySpi.values())) {
      if (sa.params.tunnel().equals(tunnel)) {
        deleteSa(EspSaParams.Direction.OUTBOUND, sa.spi);
      }
    }
  }

  @Override
  public Optional<SaStats> query(EspSaParams.Direction direction, int spi) {
    SaState sa = direction == EspSaParams.Direction.INBOUND ? inbound.get(spi) : outboundBySpi.get(spi);
    return Optional.ofNullable(sa).map(SaState::stats);
  }

  @Override
  public void setEventListener(SaEvents listener) {
    this.listener = listener;
  }

  /**
   * Points every outbound SA of {@code tunnel} at a new peer endpoint, e.g. after IKE saw the peer's
   * NAT mapping change (RFC 7296 §2.23). Only IKE may decide this: ESP source addresses are not
   * authenticated.
   */
  @Override
  public void updateRemote(String tunnel, InetSocketAddress remote) {
    for (OutboundSa sa : outboundBySpi.values()) {
      if (sa.params.tunnel().equals(tunnel)) {
        sa.remote = remote;
      }
    }
  }

  /** The SPI of a tunnel's (first) current outbound SA, if any. */
  public Optional<Integer> currentOutbound(String tunnel) {
    OutboundSa[] set = setOf(slots.slotOf(tunnel));
    return set.length > 0 ? Optional.of(set[0].spi) : Optional.empty();
  }

  /** The SPIs of a tunnel's current outbound SAs, one per selector set. */
  public List<Integer> currentOutbounds(String tunnel) {
    return Arrays.stream(setOf(slots.slotOf(tunnel))).map(sa -> sa.spi).toList();
  }

  /** Packets dropped for {@code reason} since start. */
  public long drops(Drop reason) {
    return drops[reason.ordinal()].sum();
  }

  /** All drop counters, for metrics and status. */
  public Map<Drop, Long> dropCounts() {
    Map<Drop, Long> m = new java.util.EnumMap<>(Drop.class);
    for (Drop d : Drop.VALUES) {
      m.put(d, drops[d.ordinal()].sum());
    }
    return m;
  }

  /** Per-SA drops other than replay/auth (padding, next header, inner packet, malformed). */
  public long otherDrops(EspSaParams.Direction direction, int spi) {
    SaState sa = direction == EspSaParams.Direction.INBOUND ? inbound.get(spi) : outboundBySpi.get(spi);
    return sa == null ? 0 : sa.otherDrops.sum();
  }

  public long encapsulatedPackets() {
    return encapsulated.sum();
  }

  public long decapsulatedPackets() {
    return decapsulated.sum();
  }

  /** Counts a drop decided outside the engine (no route, TUN write, UDP send). */
  public void countDrop(Drop reason) {
    drops[reason.ordinal()].increment();
  }

  // ---------------------------------------------------------------- packet path

  /**
   * Turns the IPv4 packet in {@code pb} into an ESP packet for the tunnel in {@code slot}, in place.
   * On success {@code pb} holds the ESP packet (SPI first; the UDP header is the socket's) and
   * {@code pb.peer} the destination.
   *
   * @return null on success, else the drop reason (already counted)
   */
  public Drop encapsulate(int slot, PacketBuffer pb, int worker) {
    OutboundSa sa = outboundFor(slot, pb);
    if (sa == null) {
      return drop(Drop.NO_OUTBOUND_SA);
    }
    EspCrypto crypto = sa.crypto(worker);
    int ivLen = crypto.ivLength();
    int align = crypto.alignment();
    int payloadLen = pb.length;
    int padLen = padLength(align, payloadLen);
    int ptLen = payloadLen + padLen + 2;
    int espOff = pb.offset - 8 - ivLen;
    if (espOff < 0 || pb.tailroom() < padLen + 2 + crypto.icvLength()) {
      sa.otherDrops.increment();
      return drop(Drop.TOO_BIG);
    }
    long seq = sa.nextSeq();
    if (seq == 0) {
      fireSoftLifetime(sa, EspSaParams.Direction.OUTBOUND);
      return drop(Drop.SEQ_OVERFLOW);
    }
    byte[] b = pb.data;
    int trailer = pb.offset + payloadLen;
    writeTrailer(b, trailer, padLen);
    Ipv4.put32(b, espOff, sa.spi);
    Ipv4.put32(b, espOff + 4, (int) seq);
    crypto.seal(b, espOff, ptLen, seq, sa.esn);
    pb.offset = espOff;
    pb.length = 8 + ivLen + ptLen + crypto.icvLength();
    sent(sa, pb, payloadLen);
    return null;
  }

  /** RFC 4303 §2.4: pad so that payload + pad length + next header fill the cipher's alignment. */
  private static int padLength(int align, int payloadLen) {
    return (align - ((payloadLen + 2) % align)) % align;
  }

  /** Monotonic padding bytes 1, 2, 3 … (§2.4, checked by receivers), pad length, next header. */
  private static void writeTrailer(byte[] b, int trailer, int padLen) {
    for (int i = 0; i < padLen; i++) {
      b[trailer + i] = (byte) (i + 1);
    }
    b[trailer + padLen] = (byte) padLen;
    b[trailer + padLen + 1] = (byte) NEXT_HEADER_IPV4;
  }

  private void sent(OutboundSa sa, PacketBuffer pb, int payloadLen) {
    pb.peer = sa.remote;
    sa.packets.increment();
    touch(sa, pb);
    if (sa.countBytes(payloadLen)) {
      fireSoftLifetime(sa, EspSaParams.Direction.OUTBOUND);
    }
    encapsulated.increment();
  }

  /**
   * Marks the SA used at the batch's time: one clock read per batch, and the volatile store (a
   * full fence on x86) only once per batch and SA, not per packet.
   */
  private static void touch(SaState sa, PacketBuffer pb) {
    long now = pb.batchNanos;
    if (now == 0) {
      now = System.nanoTime();
    }
    if (sa.lastUsedNanos != now) {
      sa.lastUsedNanos = now;
    }
  }

  /** The tunnel's outbound SA whose selectors cover the packet's (source, destination), or null. */
  private OutboundSa outboundFor(int slot, PacketBuffer pb) {
    for (OutboundSa sa : setOf(slot)) {
      if (sa.selectors.coversOutbound(pb.data, pb.offset)) {
        return sa;
      }
    }
    return null;
  }

  /**
   * Like {@link #encapsulate} but out of place: the ESP packet for the IPv4 packet in {@code pb} is
   * written to {@code out[outOff..]} ({@code pb.sealedLength} bytes) and {@code pb} is left as it
   * was (the trailer is briefly written after the packet and the bytes there restored), so
   * consecutive segments of one buffer can be sealed one after another into one send batch.
   *
   * @return null on success, else the drop reason (already counted)
   */
  public Drop encapsulateInto(int slot, PacketBuffer pb, int worker, byte[] out, int outOff) {
    OutboundSa sa = outboundFor(slot, pb);
    if (sa == null) {
      return drop(Drop.NO_OUTBOUND_SA);
    }
    EspCrypto crypto = sa.crypto(worker);
    int align = crypto.alignment();
    int payloadLen = pb.length;
    int padLen = padLength(align, payloadLen);
    int ptLen = payloadLen + padLen + 2;
    int espLen = 8 + crypto.ivLength() + ptLen + crypto.icvLength();
    if (pb.tailroom() < padLen + 2 || outOff < 0 || outOff + espLen > out.length) {
      sa.otherDrops.increment();
      return drop(Drop.TOO_BIG);
    }
    long seq = sa.nextSeq();
    if (seq == 0) {
      fireSoftLifetime(sa, EspSaParams.Direction.OUTBOUND);
      return drop(Drop.SEQ_OVERFLOW);
    }
    byte[] b = pb.data;
    int trailer = pb.offset + payloadLen;
    byte[] saved = pb.tailSave();
    System.arraycopy(b, trailer, saved, 0, padLen + 2);
    writeTrailer(b, trailer, padLen);
    Ipv4.put32(out, outOff, sa.spi);
    Ipv4.put32(out, outOff + 4, (int) seq);
    try {
      crypto.sealInto(b, pb.offset, ptLen, seq, sa.esn, out, outOff);
    } finally {
      System.arraycopy(saved, 0, b, trailer, padLen + 2);
    }
    pb.sealedLength = espLen;
    sent(sa, pb, payloadLen);
    return null;
  }

  /**
   * Verifies and decrypts the ESP packet in {@code pb} (UDP payload, SPI first) in place. On
   * success {@code pb} holds the inner IPv4 packet, exactly its total length.
   *
   * @param from the UDP source, for the unknown-SPI and endpoint-change events (may be null)
   * @return null on success, else the drop reason (already counted)
   */
  public Drop decapsulate(PacketBuffer pb, int worker, InetSocketAddress from) {
    byte[] b = pb.data;
    int off = pb.offset;
    int len = pb.length;
    if (len < 8) {
      return drop(Drop.MALFORMED);
    }
    int spi = Ipv4.i32(b, off);
    InboundSa sa = inbound.get(spi);
    if (sa == null) {
      reportUnknownSpi(spi, from);
      return drop(Drop.UNKNOWN_SPI);
    }
    EspCrypto crypto = sa.crypto(worker);
    int ivLen = crypto.ivLength();
    int ptLen = len - 8 - ivLen - crypto.icvLength();
    if (ptLen < 2 || (crypto.alignment() > 4 && ptLen % crypto.alignment() != 0)) {
      sa.otherDrops.increment();
      return drop(Drop.MALFORMED);
    }
    long seq = sa.replay.infer(Ipv4.i32(b, off + 4));
    if (!sa.replay.check(seq)) {
      sa.replayDrops.increment();
      return drop(Drop.REPLAY);
    }
    if (!crypto.open(b, off, len, seq, sa.esn)) {
      sa.authDrops.increment();
      return drop(Drop.AUTH);
    }
    if (!sa.replay.accept(seq)) {
      sa.replayDrops.increment();
      return drop(Drop.REPLAY);
    }
    InetSocketAddress seen = sa.source;
    if (from != null && from != seen && !from.equals(seen)) {
      sa.source = from;
      reportSourceChange(sa, from);
    }
    int payload = off + 8 + ivLen;
    int end = payload + ptLen;
    int padLen = b[end - 2] & 0xFF;
    int nextHeader = b[end - 1] & 0xFF;
    int innerMax = ptLen - 2 - padLen;
    if (innerMax < 0 || !padOk(b, end - 2 - padLen, padLen)) {
      sa.otherDrops.increment();
      return drop(Drop.BAD_PADDING);
    }
    sa.packets.increment();
    touch(sa, pb);
    if (sa.countBytes(innerMax)) {
      fireSoftLifetime(sa, EspSaParams.Direction.INBOUND);
    }
    if (nextHeader == NEXT_HEADER_DUMMY) {
      return drop(Drop.DUMMY);
    }
    if (nextHeader != NEXT_HEADER_IPV4) {
      sa.otherDrops.increment();
      return drop(Drop.BAD_NEXT_HEADER);
    }
    // TFC padding (RFC 4303 §2.7) may follow the inner packet: its own total length rules.
    if (!Ipv4.isValid(b, payload, innerMax)) {
      sa.otherDrops.increment();
      return drop(Drop.BAD_INNER);
    }
    if (!sa.selectors.coversInbound(b, payload)) {
      sa.otherDrops.increment();
      return drop(Drop.TS_MISMATCH);
    }
    pb.offset = payload;
    pb.length = Ipv4.totalLength(b, payload);
    decapsulated.increment();
    return null;
  }

  /** Pad bytes must be 1, 2, 3 … (RFC 4303 §2.4, the default padding scheme). */
  static boolean padOk(byte[] b, int start, int padLen) {
    int bad = 0;
    for (int i = 0; i < padLen; i++) {
      bad |= (b[start + i] & 0xFF) ^ (i + 1);
    }
    return bad == 0;
  }

  private Drop drop(Drop reason) {
    drops[reason.ordinal()].increment();
    return reason;
  }

  private void fireSoftLifetime(SaState sa, EspSaParams.Direction direction) {
    String tunnel = sa.params.tunnel();
    int spi = sa.spi;
    events.execute(() -> listener.softLifetimeReached(tunnel, direction, spi));
  }

  private void reportSourceChange(InboundSa sa, InetSocketAddress from) {
    String tunnel = sa.params.tunnel();
    int spi = sa.spi;
    events.execute(() -> listener.peerEndpointChanged(tunnel, spi, from));
  }

  private void reportUnknownSpi(int spi, InetSocketAddress from) {
    long now = System.nanoTime();
    // At most one upcall per 100 ms: a flood of garbage must not flood IKE.
    if (now - lastUnknownSpiEventNanos < 100_000_000L) {
      return;
    }
    lastUnknownSpiEventNanos = now;
    events.execute(() -> listener.unknownSpi(spi, from));
  }

  private static String hex(int spi) {
    return String.format("%08x", spi);
  }

  @Override
  public void close() {
    events.shutdown();
    try {
      events.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
