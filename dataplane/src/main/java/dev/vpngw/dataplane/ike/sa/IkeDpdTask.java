package dev.vpngw.dataplane.ike.sa;

import dev.vpngw.dataplane.ike.message.ExchangeType;
import dev.vpngw.dataplane.ike.message.IkeMessage;
import dev.vpngw.dataplane.ike.message.IkePayload;
import java.util.List;

/**
 * Dead peer detection (RFC 7296 §2.4): an empty INFORMATIONAL request. No answer within the DPD
 * timeout (retransmissions included) destroys the IKE SA; {@link IkeSa} does that on timeout.
 */
final class IkeDpdTask extends Task {
  IkeDpdTask(IkeSa sa) {
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
    return List.of();
  }

  @Override
  Outcome process(IkeMessage r, byte[] raw) {
    return Outcome.DONE;
  }

  @Override
  void failed(String reason) {
    sa.lastError = "DPD: " + reason;
  }
}
