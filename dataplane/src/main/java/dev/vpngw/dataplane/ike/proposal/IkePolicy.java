package dev.vpngw.dataplane.ike.proposal;

import java.time.Duration;
import java.util.List;

/** What an IKE SA may be negotiated with, in preference order, and how long it lives. */
public record IkePolicy(List<IkeProposal> proposals, Duration lifetime) {
  public IkePolicy {
    proposals = List.copyOf(proposals);
    if (proposals.isEmpty()) {
      throw new IllegalArgumentException("IKE policy needs at least one proposal");
    }
  }
}
