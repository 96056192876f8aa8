package dev.vpngw.dataplane.ike.message;

import dev.vpngw.dataplane.ike.error.InvalidSyntaxException;
import java.util.ArrayList;
import java.util.List;

/** Security Association payload (RFC 7296 §3.3): an ordered list of proposals. */
public record SaPayload(List<Proposal> proposals) implements IkePayload {
  public SaPayload {
    proposals = List.copyOf(proposals);
  }

  @Override
  public int type() {
    return PayloadType.SA.value();
  }

  @Override
  public byte[] encodeBody() {
    WireWriter w = new WireWriter();
    for (int i = 0; i < proposals.size(); i++) {
      proposals.get(i).encode(w, i == proposals.size() - 1);
    }
    return w.toByteArray();
  }

  static SaPayload decode(WireReader r) throws InvalidSyntaxException {
    List<Proposal> ps = new ArrayList<>();
    boolean[] last = {false};
    while (!last[0]) {
      if (r.remaining() == 0) {
        throw new InvalidSyntaxException("SA: proposal list ends without last marker");
      }
      Proposal p = Proposal.decode(r, last);
      // A response echoes the number of the accepted proposal, so only the ordering is checked.
      int prev = ps.isEmpty() ? 0 : ps.getLast().number();
      if (p.number() == 0 || (prev > 0 && p.number() != prev + 1 && p.number() != prev)) {
        throw new InvalidSyntaxException("SA: proposal number " + p.number() + " out of sequence");
      }
      ps.add(p);
    }
    if (r.remaining() != 0) {
      throw new InvalidSyntaxException("SA: " + r.remaining() + " bytes after last proposal");
    }
    return new SaPayload(ps);
  }
}
