package dev.vpngw.dataplane.ike.sa;

import dev.vpngw.dataplane.ike.IkeSaState;
import dev.vpngw.dataplane.ike.message.DeletePayload;
import dev.vpngw.dataplane.ike.message.ExchangeType;
import dev.vpngw.dataplane.ike.message.IkeMessage;
import dev.vpngw.dataplane.ike.message.IkePayload;
import java.util.List;

/** Deletes the IKE SA and with it every child SA (INFORMATIONAL with Delete(IKE)). */
final class IkeDeleteTask extends Task {
  IkeDeleteTask(IkeSa sa) {
    super(sa);
  }

  @Override
  ExchangeType exchange() {
    return ExchangeType.INFORMATIONAL;
  }

  @Override
  boolean fatal() {
    return true;
  }

  @Override
  List<IkePayload> build() {
    if (sa.state != IkeSaState.REKEYED) {
      sa.state = IkeSaState.DELETING;
    }
    sa.publish();
    return List.of(DeletePayload.ike());
  }

  @Override
  Outcome process(IkeMessage r, byte[] raw) {
    sa.destroy(IkeSaState.DESTROYED);
    return Outcome.DONE;
  }

  @Override
  void failed(String reason) {
    sa.destroy(IkeSaState.DESTROYED);
  }
}
