package dev.vpngw.dataplane.ike.sa;

import dev.vpngw.dataplane.ike.IkeSaState;
import dev.vpngw.dataplane.ike.error.ChildSaNotFoundException;
import dev.vpngw.dataplane.ike.error.IkeProtocolException;
import dev.vpngw.dataplane.ike.error.TemporaryFailureException;
import dev.vpngw.dataplane.ike.message.ExchangeType;
import dev.vpngw.dataplane.ike.message.IkeMessage;
import dev.vpngw.dataplane.ike.message.IkePayload;
import dev.vpngw.dataplane.ike.message.NoncePayload;
import dev.vpngw.dataplane.ike.message.NotifyPayload;
import dev.vpngw.dataplane.ike.message.NotifyType;
import dev.vpngw.dataplane.ike.message.Proposal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rekeys a child SA (RFC 7296 §2.8): CREATE_CHILD_SA with N(REKEY_SA), make-before-break install,
 * then delete the old pair. Simultaneous rekeys of the same child (§2.8.1) are resolved by nonce:
 * the exchange holding the lowest of the four nonces loses, and its initiator deletes the SA it
 * created while the winner deletes the old SA.
 */
final class ChildRekeyTask extends Task {
  private static final Logger log = LoggerFactory.getLogger(ChildRekeyTask.class);
  static final int MAX_ATTEMPTS = 5;
  private final ChildSa old;
  private ChildNegotiation n;

  ChildRekeyTask(IkeSa sa, ChildSa old) {
    super(sa);
    this.old = old;
  }

  @Override
  ExchangeType exchange() {
    return ExchangeType.CREATE_CHILD_SA;
  }

  @Override
  List<IkePayload> build() {
    boolean retry = n != null;
    if (sa.children.get(old.inboundSpi) != old || (!retry && old.state != ChildSa.State.INSTALLED)) {
      return null;
    }
    old.state = ChildSa.State.REKEYING;
    if (!retry) {
      n = new ChildNegotiation(sa, false);
    }
    List<IkePayload> p = new ArrayList<>();
    p.add(new NotifyPayload(Proposal.PROTO_ESP, spiBytes(old.inboundSpi), NotifyType.REKEY_SA.value(), new byte[0]));
    p.addAll(retry ? n.rebuild() : n.buildRequest(old.suite, old.pair, old.localTs, old.remoteTs));
    old.rekeyNonce = n.nonce;
    return p;
  }

  @Override
  Outcome process(IkeMessage r, byte[] raw) throws IkeProtocolException {
    if (n.acceptInvalidKe(r)) {
      return Outcome.RETRY;
    }
    var err = r.firstErrorNotify();
    if (err.isPresent()) {
      throw IkeProtocolException.fromNotify(err.get().notifyType(), err.get().data());
    }
    ChildSa fresh = n.processResponse(r);
    sa.childRekeys++;
    byte[] nr = r.first(NoncePayload.class).map(NoncePayload::nonce).orElseThrow();
    if (old.collision != null) {
      ChildSa.Collision c = old.collision;
      boolean weLose = Arrays.compareUnsigned(min(n.nonce, nr), min(c.peerNonce(), c.ourNonce())) < 0;
      log.info("{}: child rekey collision on {}, we {}", sa.conn.name(), old, weLose ? "lose" : "win");
      if (weLose) {
        // Our new SA is redundant: delete it; the peer deletes the old one, and the SA the peer
        // created becomes the successor. Traffic must not move to that one yet: the peer installs
        // its inbound half only when its own response arrives (strongSwan does). Until the peer
        // deletes the old pair (removeChild then switches to the successor) the old pair carries it.
        ChildSa winner = c.created();
        old.successor = winner;
        old.state = ChildSa.State.REKEYED;
        sa.useOutbound(sa.children.get(old.inboundSpi) == old ? old : winner);
        sa.queueFirst(new ChildDeleteTask(sa, fresh));
        return Outcome.DONE;
      }
    }
    old.successor = fresh;
    old.state = ChildSa.State.REKEYED;
    sa.queueFirst(new ChildDeleteTask(sa, old));
    sa.publish();
    return Outcome.DONE;
  }

  @Override
  void failed(String reason) {
    if (old.state == ChildSa.State.REKEYING) {
      old.state = ChildSa.State.INSTALLED;
    }
    old.rekeyNonce = null;
    old.collision = null;
    if (++old.rekeyAttempts > MAX_ATTEMPTS) {
      return; // the hard lifetime will delete it
    }
    // The child may move to a rekeyed IKE SA meanwhile: let the daemon find its owner.
    sa.retryLater(() -> sa.host.rekeyChild(sa.conn.name(), old.inboundSpi));
  }

  private static byte[] min(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b) <= 0 ? a : b;
  }

  static byte[] spiBytes(int spi) {
    return new byte[] {(byte) (spi >>> 24), (byte) (spi >>> 16), (byte) (spi >>> 8), (byte) spi};
  }

  static List<IkePayload> respond(IkeSa sa, IkeMessage req) throws IkeProtocolException {
    NotifyPayload rekey = req.notify(NotifyType.REKEY_SA).orElseThrow();
    ChildSa old = sa.childByOutbound(rekey.spiAsInt());
    if (old == null) {
      throw new ChildSaNotFoundException("no child SA with SPI " + IkeSa.hex(rekey.spiAsInt()));
    }
    if (old.state != ChildSa.State.INSTALLED && old.state != ChildSa.State.REKEYING) {
      throw new TemporaryFailureException("child SA " + old + " is " + old.state);
    }
    if (sa.state != IkeSaState.ESTABLISHED) {
      throw new TemporaryFailureException("IKE SA is " + sa.state);
    }
    ChildNegotiation.Responded resp = ChildNegotiation.respond(sa, req, false, false, old);
    byte[] ni = req.first(NoncePayload.class).map(NoncePayload::nonce).orElseThrow();
    byte[] nr = resp.payloads().stream().filter(p -> p instanceof NoncePayload).map(p -> ((NoncePayload) p).nonce())
        .findFirst().orElseThrow();
    if (old.state == ChildSa.State.REKEYING) {
      // Counted once, when our own exchange completes and the collision is resolved.
      old.collision = new ChildSa.Collision(ni, nr, resp.child());
    } else {
      sa.childRekeys++;
      old.successor = resp.child();
      old.state = ChildSa.State.REKEYED;
    }
    // If the peer never deletes the old SA, switch our traffic to the new one after a grace period.
    ChildSa fresh = resp.child();
    sa.schedule(sa.conn.timers().deleteGrace(), () -> sa.activateOutbound(fresh));
    return resp.payloads();
  }
}
