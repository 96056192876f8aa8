package dev.vpngw.dataplane.ike.sa;

import dev.vpngw.dataplane.ike.IkeSaState;
import dev.vpngw.dataplane.ike.message.DeletePayload;
import dev.vpngw.dataplane.ike.message.IkeMessage;
import dev.vpngw.dataplane.ike.message.IkePayload;
import dev.vpngw.dataplane.ike.message.Proposal;
import java.util.ArrayList;
import java.util.List;

/** Answers INFORMATIONAL requests: Delete(IKE), Delete(ESP) and empty liveness checks. */
final class InformationalResponder {
  private InformationalResponder() {}

  static List<IkePayload> respond(IkeSa sa, IkeMessage req) {
    List<DeletePayload> deletes = req.all(DeletePayload.class);
    if (deletes.stream().anyMatch(d -> d.protocolId() == Proposal.PROTO_IKE)) {
      // Answer first (empty), then go: the response must still be protected with our keys.
      sa.afterResponse(() -> {
        if (sa.state != IkeSaState.REKEYED) {
          sa.lastError = sa.lastError == null ? "deleted by peer" : sa.lastError;
        }
        sa.destroy(IkeSaState.DESTROYED);
      });
      return List.of();
    }
    List<Integer> ours = new ArrayList<>();
    for (DeletePayload d : deletes) {
      if (d.protocolId() != Proposal.PROTO_ESP) {
        continue;
      }
      for (int peerInbound : d.spis()) {
        ChildSa c = sa.childByOutbound(peerInbound);
        if (c == null) {
          continue;
        }
        ours.add(c.inboundSpi);
        sa.removeChild(c);
      }
    }
    sa.publish();
    return ours.isEmpty() ? List.of() : List.of(DeletePayload.esp(ours));
  }
}
