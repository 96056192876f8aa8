package dev.vpngw.dataplane.ike.sa;

import dev.vpngw.dataplane.ike.error.IkeProtocolException;
import dev.vpngw.dataplane.ike.message.ExchangeType;
import dev.vpngw.dataplane.ike.message.IkeMessage;
import dev.vpngw.dataplane.ike.message.IkePayload;
import java.util.List;

/**
 * One protocol procedure we initiate (strongSwan's task_t, initiator half): build the request,
 * process the response. The responder half of each procedure is a static {@code respond} method
 * on the same class, called by {@link IkeSa} when the peer's request arrives.
 */
abstract class Task {
  enum Outcome {
    /** Exchange complete, next task may run. */
    DONE,
    /** Send a fresh request with the same message ID (COOKIE, INVALID_KE_PAYLOAD). */
    RETRY
  }

  final IkeSa sa;

  Task(IkeSa sa) {
    this.sa = sa;
  }

  abstract ExchangeType exchange();

  abstract List<IkePayload> build() throws IkeProtocolException;

  abstract Outcome process(IkeMessage response, byte[] raw) throws IkeProtocolException;

  /** The exchange failed (error notify or no response); default: nothing to undo. */
  void failed(String reason) {}

  /** Whether a failure of this task dooms the IKE SA (IKE_SA_INIT/IKE_AUTH/DPD/delete). */
  boolean fatal() {
    return false;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName();
  }
}
