package dev.vpngw.dataplane.ike.sa;

import dev.vpngw.dataplane.ike.error.IkeProtocolException;
import dev.vpngw.dataplane.ike.message.DeletePayload;
import dev.vpngw.dataplane.ike.message.ExchangeType;
import dev.vpngw.dataplane.ike.message.IkeMessage;
import dev.vpngw.dataplane.ike.message.IkePayload;
import java.util.List;

/** Deletes one child SA pair with the peer (INFORMATIONAL with Delete(ESP), RFC 7296 §1.4.1). */
final class ChildDeleteTask extends Task {
  private final ChildSa child;

  ChildDeleteTask(IkeSa sa, ChildSa child) {
    super(sa);
    this.child = child;
  }

  @Override
  ExchangeType exchange() {
    return ExchangeType.INFORMATIONAL;
  }

  @Override
  List<IkePayload> build() {
    if (sa.children.get(child.inboundSpi) != child) {
      return null; // already gone (the peer deleted it first)
    }
    child.state = ChildSa.State.DELETING;
    return List.of(DeletePayload.esp(List.of(child.inboundSpi)));
  }

  @Override
  Outcome process(IkeMessage r, byte[] raw) throws IkeProtocolException {
    // Whatever the peer answers, the pair is gone on our side (it may have deleted it already).
    if (sa.children.get(child.inboundSpi) == child) {
      sa.removeChild(child);
    }
    sa.publish();
    return Outcome.DONE;
  }

  @Override
  void failed(String reason) {
    if (sa.children.get(child.inboundSpi) == child) {
      sa.removeChild(child);
    }
  }
}
