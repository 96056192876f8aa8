package dev.vpngw.dataplane.bgp.wire;

import dev.vpngw.dataplane.bgp.attr.PathAttributes;
import dev.vpngw.dataplane.routing.Ipv4Prefix;
import java.util.List;
import java.util.Optional;

/** A decoded BGP-4 message (RFC 4271 §4). */
public sealed interface BgpMessage {
  int TYPE_OPEN = 1;
  int TYPE_UPDATE = 2;
  int TYPE_NOTIFICATION = 3;
  int TYPE_KEEPALIVE = 4;
  int TYPE_ROUTE_REFRESH = 5;

  /** {@code myAs} is the 2-octet field; {@link #asn()} prefers the 4-octet capability. */
  record Open(int version, int myAs, int holdTime, int bgpIdentifier, List<Capability> capabilities) implements BgpMessage {
    public Open {
      capabilities = List.copyOf(capabilities);
    }

    public long asn() {
      for (Capability c : capabilities) {
        if (c instanceof Capability.FourOctetAs f) {
          return f.asn();
        }
      }
      return myAs & 0xffffL;
    }

    public <T extends Capability> Optional<T> capability(Class<T> type) {
      return capabilities.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    public boolean supports(AddressFamily af) {
      return capabilities.stream().anyMatch(c -> c instanceof Capability.Multiprotocol m && m.family().equals(af));
    }
  }

  /**
   * {@code attributeError} is set when RFC 7606 demands treat-as-withdraw: every NLRI in this
   * UPDATE (IPv4 and MP_REACH) must then be handled as withdrawn.
   */
  record Update(List<Ipv4Prefix> withdrawn, PathAttributes attributes, List<Ipv4Prefix> nlri, Optional<String> attributeError)
      implements BgpMessage {
    public Update {
      withdrawn = List.copyOf(withdrawn);
      nlri = List.copyOf(nlri);
    }

    public Update(List<Ipv4Prefix> withdrawn, PathAttributes attributes, List<Ipv4Prefix> nlri) {
      this(withdrawn, attributes, nlri, Optional.empty());
    }

    /** RFC 4724 §2: End-of-RIB is an empty UPDATE (IPv4) or one with an empty MP_UNREACH. */
    public Optional<AddressFamily> endOfRib() {
      if (!withdrawn.isEmpty() || !nlri.isEmpty() || attributeError.isPresent()) {
        return Optional.empty();
      }
      if (attributes.isEmpty()) {
        return Optional.of(AddressFamily.IPV4_UNICAST);
      }
      var un = attributes.mpUnreach();
      if (un != null && un.withdrawn().isEmpty() && attributes.onlyMpUnreach()) {
        return Optional.of(un.family());
      }
      return Optional.empty();
    }
  }

  record Notification(BgpError error, int code, int subcode, byte[] data) implements BgpMessage {
    public Notification(BgpError error, byte[] data) {
      this(error, error.code(), error.subcode(), data);
    }

    public Notification {
      data = data.clone();
    }

    @Override
    public String toString() {
      return "Notification[" + (error == null ? code + "/" + subcode : error.describe()) + ", " + data.length + " data bytes]";
    }
  }

  record Keepalive() implements BgpMessage {}

  record RouteRefresh(AddressFamily family) implements BgpMessage {}
}
