package dev.vpngw.dataplane.ike.sa;

import dev.vpngw.dataplane.ike.ChildSaStatus;
import dev.vpngw.dataplane.ike.message.TrafficSelector;
import dev.vpngw.dataplane.ike.proposal.ChildSuite;
import dev.vpngw.dataplane.ike.proposal.WeakAlgorithms;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/** One negotiated child SA pair (inbound + outbound), owned by exactly one IKE SA at a time. */
final class ChildSa {
  enum State { INSTALLED, REKEYING, REKEYED, DELETING }

  final ChildSuite suite;
  final int inboundSpi;
  final int outboundSpi;
  final List<TrafficSelector> localTs;
  final List<TrafficSelector> remoteTs;
  final Instant establishedAt;
  State state = State.INSTALLED;
  /** Whether our outbound SA carries the tunnel's traffic yet (responder of a rekey waits). */
  boolean outboundActive;
  Instant rekeyAt;
  Instant expireAt;
  ScheduledFuture<?> rekeyTimer;
  ScheduledFuture<?> expireTimer;
  /** The SA that replaced this one in a rekey, so a delete can hand traffic over. */
  ChildSa successor;
  /** Nonce of our pending rekey of this SA, for collision resolution (RFC 7296 §2.8.1). */
  byte[] rekeyNonce;
  /** Set when the peer rekeyed this SA while our own rekey of it was in flight. */
  Collision collision;
  int rekeyAttempts;
  /** Inbound ESP packets of this SA when IKE last looked (dead peer detection, IkeSa#noteInboundEsp). */
  long inboundPacketsSeen;

  /** The peer's simultaneous rekey: its Ni, our Nr, and the SA that exchange created. */
  record Collision(byte[] peerNonce, byte[] ourNonce, ChildSa created) {}

  final boolean initiatedByUs;
  /** Index of the connection's selector pair this child carries (IkeConnection#childPairs). */
  int pair;

  ChildSa(ChildSuite suite, int inboundSpi, int outboundSpi, List<TrafficSelector> localTs,
      List<TrafficSelector> remoteTs, Instant establishedAt, boolean initiatedByUs) {
    this.initiatedByUs = initiatedByUs;
    this.suite = suite;
    this.inboundSpi = inboundSpi;
    this.outboundSpi = outboundSpi;
    this.localTs = List.copyOf(localTs);
    this.remoteTs = List.copyOf(remoteTs);
    this.establishedAt = establishedAt;
  }

  void cancelTimers() {
    if (rekeyTimer != null) {
      rekeyTimer.cancel(false);
    }
    if (expireTimer != null) {
      expireTimer.cancel(false);
    }
  }

  ChildSaStatus status() {
    return new ChildSaStatus(state.name(), inboundSpi, outboundSpi, suite.toString(),
        localTs.stream().map(Object::toString).toList(), remoteTs.stream().map(Object::toString).toList(),
        establishedAt, initiatedByUs, WeakAlgorithms.of(suite));
  }

  @Override
  public String toString() {
    return String.format("child[in=%08x out=%08x %s %s]", inboundSpi, outboundSpi, suite, state);
  }
}
