package dev.vpngw.dataplane.bgp.wire;

import java.util.List;

/** OPEN capabilities (RFC 5492) the speaker understands; others are kept as {@link Unknown}. */
public sealed interface Capability {
  int MULTIPROTOCOL = 1;
  int ROUTE_REFRESH = 2;
  int GRACEFUL_RESTART = 64;
  int FOUR_OCTET_AS = 65;

  int code();

  record Multiprotocol(AddressFamily family) implements Capability {
    public int code() {
      return MULTIPROTOCOL;
    }
  }

  record RouteRefresh() implements Capability {
    public int code() {
      return ROUTE_REFRESH;
    }
  }

  record FourOctetAs(long asn) implements Capability {
    public int code() {
      return FOUR_OCTET_AS;
    }
  }

  /**
   * RFC 4724 §3. {@code restarting} is the R bit; each family carries the F bit (forwarding state
   * preserved across the restart).
   */
  record GracefulRestart(boolean restarting, int restartTimeSeconds, List<GrFamily> families) implements Capability {
    public GracefulRestart {
      families = List.copyOf(families);
    }

    public int code() {
      return GRACEFUL_RESTART;
    }

    public boolean preservedForwarding(AddressFamily af) {
      return families.stream().anyMatch(f -> f.family().equals(af) && f.forwardingPreserved());
    }

    public boolean covers(AddressFamily af) {
      return families.stream().anyMatch(f -> f.family().equals(af));
    }
  }

  record GrFamily(AddressFamily family, boolean forwardingPreserved) {}

  record Unknown(int code, byte[] value) implements Capability {
    public Unknown {
      value = value.clone();
    }
  }
}
