package dev.vpngw.dataplane.ike.sa;

import dev.vpngw.dataplane.ike.error.IkeProtocolException;
import dev.vpngw.dataplane.ike.error.InvalidSyntaxException;
import dev.vpngw.dataplane.ike.message.ExchangeType;
import dev.vpngw.dataplane.ike.message.IkeMessage;
import dev.vpngw.dataplane.ike.message.IkePayload;
import java.util.List;

/**
 * An additional child SA over an established IKE SA (CREATE_CHILD_SA without REKEY_SA), e.g. a
 * policy-based peer that wants one child per prefix pair, or a peer re-creating a child it lost.
 */
final class ChildCreateTask extends Task {
  private ChildNegotiation n;

  ChildCreateTask(IkeSa sa) {
    super(sa);
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
    n = new ChildNegotiation(sa, false);
    return n.buildRequest(null, sa.conn.localTs(), sa.conn.remoteTs());
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
    n.processResponse(r);
    sa.publish();
    return Outcome.DONE;
  }

  static List<IkePayload> respond(IkeSa sa, IkeMessage req) throws IkeProtocolException {
    if (req.ts(true).isEmpty()) {
      throw new InvalidSyntaxException("CREATE_CHILD_SA without TS");
    }
    var resp = ChildNegotiation.respond(sa, req, false, true);
    sa.publish();
    return resp.payloads();
  }
}
