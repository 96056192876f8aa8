package dev.vpngw.dataplane.bgp.attr;

import dev.vpngw.dataplane.bgp.wire.AddressFamily;
import dev.vpngw.dataplane.routing.IpPrefix;
import java.util.List;

/** MP_UNREACH_NLRI (RFC 4760 §4). */
public record MpUnreach(AddressFamily family, List<IpPrefix> withdrawn) {
  public MpUnreach {
    withdrawn = List.copyOf(withdrawn);
  }
}
