package dev.vpngw.dataplane.ike.sa;

import dev.vpngw.dataplane.ike.IkeConnection;
import dev.vpngw.dataplane.ike.error.IkeProtocolException;
import dev.vpngw.dataplane.ike.error.InvalidSyntaxException;
import dev.vpngw.dataplane.ike.message.ExchangeType;
import dev.vpngw.dataplane.ike.message.IkeMessage;
import dev.vpngw.dataplane.ike.message.IkePayload;
import java.util.List;

/**
 * An additional child SA over an established IKE SA (CREATE_CHILD_SA without REKEY_SA): one per
 * further traffic-selector pair of a policy-based connection, or a child re-created after it was
 * lost. As responder: a peer that wants one child per prefix pair, or re-creates one it lost.
 */
final class ChildCreateTask extends Task {
  private final int pair;
  private ChildNegotiation n;

  ChildCreateTask(IkeSa sa, int pair) {
    super(sa);
    this.pair = pair;
  }

  @Override
  ExchangeType exchange() {
    return ExchangeType.CREATE_CHILD_SA;
  }

  @Override
  List<IkePayload> build() {
    if (n != null) {
      return n.rebuild();
    }
    if (sa.pairCovered(pair) || sa.superseded || sa.state != dev.vpngw.dataplane.ike.IkeSaState.ESTABLISHED) {
      sa.pendingPairs.remove(pair); // the peer created it meanwhile, or the IKE SA moved on (its successor checks again)
      return null;
    }
    n = new ChildNegotiation(sa, false);
    IkeConnection.SelectorPair p = sa.conn.childPairs().get(pair);
    return n.buildRequest(null, pair, p.local(), p.remote());
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
    sa.pendingPairs.remove(pair);
    sa.pairFailures.remove(pair);
    ChildSa other = sa.children.values().stream()
        .filter(c -> c != fresh && c.pair == pair && c.state == ChildSa.State.INSTALLED).findFirst().orElse(null);
    if (other != null) {
      // The peer created a child for this pair while ours was in flight. Both sides keep the one the
      // IKE SA's initiator created, so they agree without another exchange.
      ChildSa loser = sa.initiator ? (other.initiatedByUs ? fresh : other) : fresh;
      sa.queueFirst(new ChildDeleteTask(sa, loser));
    }
    sa.publish();
    return Outcome.DONE;
  }

  @Override
  void failed(String reason) {
    sa.pendingPairs.remove(pair);
    sa.pairFailures.merge(pair, 1, Integer::sum);
    sa.retryLater(() -> sa.createMissingChildrenSoon(java.time.Duration.ZERO));
  }

  @Override
  public String toString() {
    return "ChildCreateTask[pair " + pair + "]";
  }

  static List<IkePayload> respond(IkeSa sa, IkeMessage req) throws IkeProtocolException {
    if (req.ts(true).isEmpty()) {
      throw new InvalidSyntaxException("CREATE_CHILD_SA without TS");
    }
    var resp = ChildNegotiation.respond(sa, req, false, true, null);
    sa.publish();
    return resp.payloads();
  }
}
