package dev.vpngw.dataplane.esp;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What inbound and outbound SAs share: parameters, per-thread crypto, counters and the soft byte
 * lifetime. Counters are {@link LongAdder}s (allocation-free once their cells exist) except bytes,
 * which the lifetime check needs as an exact running total.
 */
abstract sealed class SaState permits InboundSa, OutboundSa {
  final EspSaParams params;
  final int spi;
  final boolean esn;
  final SelectorRanges selectors;
  private final EspCrypto[] cryptoByWorker;
  final LongAdder packets = new LongAdder();
  final AtomicLong bytes = new AtomicLong();
  final LongAdder replayDrops = new LongAdder();
  final LongAdder authDrops = new LongAdder();
  final LongAdder otherDrops = new LongAdder();
  final AtomicBoolean softLifetimeFired = new AtomicBoolean();
  volatile long lastUsedNanos;

  SaState(EspSaParams params, int workers) {
    this.params = params;
    this.spi = params.spi();
    this.esn = params.esn();
    this.selectors = params.selectors();
    this.cryptoByWorker = new EspCrypto[workers];
    // Fail at install time, not on the first packet, if keys or algorithm are unusable.
    cryptoByWorker[0] = EspCrypto.create(params.transform(), params.encKey(), params.integKey());
  }

  /** This worker's crypto instance, created on first use by that worker only. */
  final EspCrypto crypto(int worker) {
    EspCrypto c = cryptoByWorker[worker];
    if (c == null) {
      c = EspCrypto.create(params.transform(), params.encKey(), params.integKey());
      cryptoByWorker[worker] = c;
    }
    return c;
  }

  /** Adds {@code n} bytes; true exactly once, when the soft lifetime is crossed. */
  final boolean countBytes(int n) {
    long total = bytes.addAndGet(n);
    long limit = params.lifetimeBytes();
    return limit > 0 && total >= limit && !softLifetimeFired.get() && softLifetimeFired.compareAndSet(false, true);
  }

  final SaManager.SaStats stats() {
    return new SaManager.SaStats(packets.sum(), bytes.get(), replayDrops.sum(), authDrops.sum(), lastUsedNanos);
  }
}
