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
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(InformationalResponder.class);

  private InformationalResponder() {}

  static List<IkePayload> respond(IkeSa sa, IkeMessage req) {
    List<DeletePayload> deletes = req.all(DeletePayload.class);
    if (deletes.stream().anyMatch(d -> d.protocolId() == Proposal.PROTO_IKE)) {
      IkeSa.Collision c = sa.ikeCollision;
      if (c != null && sa.state == IkeSaState.REKEYING && !sa.handedOver) {
        // Crossing IKE rekeys (RFC 7296 §2.8.2) and the peer deletes the old SA before our response
        // came: it won, so its new SA carries on and our exchange is moot (strongSwan concludes the
        // same way). Without this the children would go down with the old SA.
        log.info("{}: peer deleted the IKE SA while our crossing rekey was pending: its new IKE SA takes over",
            sa.conn.name());
        c.created().adoptChildrenFrom(sa);
      }
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
        if (c.successor == null && c.collision != null) {
          // Crossing child rekeys and the peer, the winner, deletes the old pair before our response
          // came: its new pair takes the traffic now, not after the delete grace period.
          c.successor = c.collision.created();
        }
        ours.add(c.inboundSpi);
        sa.removeChild(c);
      }
    }
    if (!ours.isEmpty()) {
      // A liveness check changes nothing the status shows: no status rebuild, no supervisor wake-up.
      sa.publish();
    }
    return ours.isEmpty() ? List.of() : List.of(DeletePayload.esp(ours));
  }
}
