package dev.vpngw.dataplane.bgp;

import dev.vpngw.dataplane.routing.Ipv4Prefix;

/**
 * One BGP neighbour (an LNG's bgpSettings seen from one gateway instance). Addresses are IPv4
 * big-endian ints. {@code weight} is Azure's peerWeight added to routes learned from it;
 * {@code tunnelSlot} is where traffic to those routes goes; {@code maxPrefixes} is Azure's 4,000.
 */
public record BgpPeerConfig(int localAddress, int peerAddress, long peerAsn, PeerMode mode, int tunnelSlot, int weight, int maxPrefixes) {
  public static final int AZURE_MAX_PREFIXES = 4000;

  public BgpPeerConfig {
    if (peerAsn < 1 || peerAsn > 0xffffffffL) {
      throw new IllegalArgumentException("peer " + Ipv4Prefix.format(peerAddress) + ": asn " + peerAsn + " out of 1..4294967295");
    }
    if (maxPrefixes < 1) {
      throw new IllegalArgumentException("peer " + Ipv4Prefix.format(peerAddress) + ": maxPrefixes must be >= 1");
    }
    if (weight < 0 || weight > 65535) {
      throw new IllegalArgumentException("peer " + Ipv4Prefix.format(peerAddress) + ": weight " + weight + " out of 0..65535");
    }
    if (mode == null) {
      mode = PeerMode.forPeerAddress(peerAddress);
    }
  }

  /** Azure defaults: mode from the address, weight 0, 4,000 prefixes. */
  public static BgpPeerConfig of(String local, String peer, long asn, int tunnelSlot) {
    int p = Ipv4Prefix.parseAddress(peer);
    return new BgpPeerConfig(Ipv4Prefix.parseAddress(local), p, asn, PeerMode.forPeerAddress(p), tunnelSlot, 0, AZURE_MAX_PREFIXES);
  }

  public BgpPeerConfig withMode(PeerMode m) {
    return new BgpPeerConfig(localAddress, peerAddress, peerAsn, m, tunnelSlot, weight, maxPrefixes);
  }

  public BgpPeerConfig withWeight(int w) {
    return new BgpPeerConfig(localAddress, peerAddress, peerAsn, mode, tunnelSlot, w, maxPrefixes);
  }

  public BgpPeerConfig withMaxPrefixes(int m) {
    return new BgpPeerConfig(localAddress, peerAddress, peerAsn, mode, tunnelSlot, weight, m);
  }

  /** The source id of this peer's routes in the routing table (its address). */
  public String sourceId() {
    return Ipv4Prefix.format(peerAddress);
  }
}
