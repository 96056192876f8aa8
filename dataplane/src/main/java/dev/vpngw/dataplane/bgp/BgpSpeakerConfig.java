package dev.vpngw.dataplane.bgp;

import dev.vpngw.dataplane.routing.Ipv4Prefix;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The speaker: our ASN (Azure bgpSettings.asn, default 65515), router id, the addressSpace we
 * originate, the neighbours, the TCP port (179) and timers. Only eBGP: Azure requires the on-prem
 * ASN to differ from the gateway's.
 */
public record BgpSpeakerConfig(long localAsn, int routerId, List<Ipv4Prefix> ownPrefixes, List<BgpPeerConfig> peers, int port, BgpTimers timers) {
  public static final long AZURE_DEFAULT_ASN = 65515;

  public BgpSpeakerConfig {
    ownPrefixes = List.copyOf(ownPrefixes);
    peers = List.copyOf(peers);
    if (localAsn < 1 || localAsn > 0xffffffffL) {
      throw new IllegalArgumentException("localAsn " + localAsn + " out of 1..4294967295");
    }
    if (routerId == 0) {
      throw new IllegalArgumentException("routerId must not be 0.0.0.0");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " out of 1..65535");
    }
    Set<Integer> seen = new HashSet<>();
    for (BgpPeerConfig p : peers) {
      if (p.peerAsn() == localAsn) {
        throw new IllegalArgumentException("peer " + Ipv4Prefix.format(p.peerAddress()) + ": asn " + localAsn
            + " equals the gateway's asn (on-prem and gateway ASNs must differ)");
      }
      if (!seen.add(p.peerAddress())) {
        throw new IllegalArgumentException("peer " + Ipv4Prefix.format(p.peerAddress()) + " is configured twice");
      }
    }
  }

  public static BgpSpeakerConfig of(long localAsn, String routerId, List<Ipv4Prefix> ownPrefixes, List<BgpPeerConfig> peers) {
    return new BgpSpeakerConfig(localAsn, Ipv4Prefix.parseAddress(routerId), ownPrefixes, peers, 179, BgpTimers.DEFAULTS);
  }

  public BgpSpeakerConfig withTimers(BgpTimers t) {
    return new BgpSpeakerConfig(localAsn, routerId, ownPrefixes, peers, port, t);
  }

  public BgpSpeakerConfig withPort(int p) {
    return new BgpSpeakerConfig(localAsn, routerId, ownPrefixes, peers, p, timers);
  }
}
