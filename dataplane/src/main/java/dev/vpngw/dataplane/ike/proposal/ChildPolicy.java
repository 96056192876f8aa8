package dev.vpngw.dataplane.ike.proposal;

import java.time.Duration;
import java.util.List;

/**
 * What child SAs may be negotiated with. When we initiate we offer {@code initiatorProposals}; as
 * responder we accept any of {@code responderProposals} (Azure accepts more than it offers).
 *
 * @param lifetimeKilobytes 0 for no volume limit
 */
public record ChildPolicy(List<ChildProposal> initiatorProposals, List<ChildProposal> responderProposals,
    Duration lifetime, long lifetimeKilobytes) {
  public ChildPolicy {
    initiatorProposals = List.copyOf(initiatorProposals);
    responderProposals = List.copyOf(responderProposals);
    if (initiatorProposals.isEmpty() || responderProposals.isEmpty()) {
      throw new IllegalArgumentException("child policy needs at least one proposal");
    }
  }

  public static ChildPolicy of(List<ChildProposal> proposals, Duration lifetime, long lifetimeKilobytes) {
    return new ChildPolicy(proposals, proposals, lifetime, lifetimeKilobytes);
  }

  public ChildPolicy withLifetime(Duration newLifetime) {
    return new ChildPolicy(initiatorProposals, responderProposals, newLifetime, lifetimeKilobytes);
  }
}
