package dev.vpngw.dataplane.bgp.attr;

import dev.vpngw.dataplane.bgp.wire.AddressFamily;
import dev.vpngw.dataplane.routing.IpPrefix;
import java.util.Arrays;
import java.util.List;

/** MP_REACH_NLRI (RFC 4760 §3); {@code nextHop} is the raw field (4, 16 or 32 bytes). */
public record MpReach(AddressFamily family, byte[] nextHop, List<IpPrefix> nlri) {
  public MpReach {
    nextHop = nextHop.clone();
    nlri = List.copyOf(nlri);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MpReach m && m.family.equals(family) && Arrays.equals(m.nextHop, nextHop) && m.nlri.equals(nlri);
  }

  @Override
  public int hashCode() {
    return family.hashCode() * 31 + Arrays.hashCode(nextHop) * 17 + nlri.hashCode();
  }
}
