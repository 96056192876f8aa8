package dev.vpngw.dataplane.ike.proposal;

import java.time.Duration;
import java.util.List;

/**
 * What child SAs may be negotiated with. When we initiate we offer {@code initiatorProposals}; as
 * responder we accept any of {@code responderProposals} (Azure accepts more than it offers).
 *
 * @param lifetimeKilobytes 0 for no volume limit
 * @param preferEsn  extended sequence numbers (RFC 4304) first. Either way we offer both values and
 *                   accept ESN when a peer proposes only ESN; false (no ESN first) is Azure's and our default
 */
public record ChildPolicy(List<ChildProposal> initiatorProposals, List<ChildProposal> responderProposals,
    Duration lifetime, long lifetimeKilobytes, boolean preferEsn) {

  public ChildPolicy(List<ChildProposal> initiatorProposals, List<ChildProposal> responderProposals, Duration lifetime,
      long lifetimeKilobytes) {
    this(initiatorProposals, responderProposals, lifetime, lifetimeKilobytes, false);
  }

  /** The ESN transform values we offer, preferred first. */
  public List<Boolean> esnOffer() {
    return preferEsn ? List.of(true, false) : List.of(false, true);
  }

  public ChildPolicy withPreferEsn(boolean prefer) {
    return new ChildPolicy(initiatorProposals, responderProposals, lifetime, lifetimeKilobytes, prefer);
  }

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
    return new ChildPolicy(initiatorProposals, responderProposals, newLifetime, lifetimeKilobytes, preferEsn);
  }
}
