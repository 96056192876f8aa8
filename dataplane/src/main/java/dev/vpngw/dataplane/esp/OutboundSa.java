package dev.vpngw.dataplane.esp;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/** An installed outbound SA: the sequence counter and the peer's UDP endpoint. */
final class OutboundSa extends SaState {
  private static final long MAX_SEQ_32 = 0xFFFFFFFFL;
  /** Changes when the peer's NAT mapping moves (IKE tells us, see EspEngine#updateRemote). */
  volatile InetSocketAddress remote;
  final int slot;
  /** Order of installation, so the newest SA of a selector set can take over when the current one goes. */
  long installOrder;
  private final AtomicLong seq = new AtomicLong();

  OutboundSa(EspSaParams params, int workers, int slot) {
    super(params, workers);
    this.remote = params.remote();
    this.slot = slot;
  }

  /** The next sequence number, or 0 when the space is exhausted (never wraps, RFC 4303 §3.3.3). */
  long nextSeq() {
    long s = seq.incrementAndGet();
    if (s <= 0 || (!esn && s > MAX_SEQ_32)) {
      return 0;
    }
    return s;
  }

  /** Tests: jump near the end of the sequence space. */
  void setSeqForTest(long value) {
    seq.set(value);
  }
}
