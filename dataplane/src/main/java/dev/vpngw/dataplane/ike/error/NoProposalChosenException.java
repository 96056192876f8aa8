package dev.vpngw.dataplane.ike.error;

import dev.vpngw.dataplane.ike.message.NotifyType;

/** NOTIFY error {@code NO_PROPOSAL_CHOSEN}. */
public final class NoProposalChosenException extends IkeProtocolException {
  public NoProposalChosenException(String message) {
    super(NotifyType.NO_PROPOSAL_CHOSEN, message);
  }
}
