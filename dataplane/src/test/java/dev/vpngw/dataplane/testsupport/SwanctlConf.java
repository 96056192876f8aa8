package dev.vpngw.dataplane.testsupport;

/**
 * A swanctl.conf for a strongSwan peer facing one vpngw gateway: IP identities, PSK, forced UDP
 * encapsulation (ESP in 4500, as vpngw always uses), one child SA named "net" that is not started
 * by strongSwan itself. The IKE connection is named "gw".
 */
public record SwanctlConf(String self, String gateway, String localTs, String remoteTs, String proposals,
    String espProposals, String psk) {

  public String render() {
    return render(self, true);
  }

  /**
   * With another local identity (a peer behind a NAT identifies as its public address, as the
   * LocalNetworkGateway's gatewayIpAddress says) and optionally without forced encapsulation, so
   * NAT detection reports only the NATs that are really there.
   */
  public String render(String selfId, boolean forceEncap) {
    return """
        connections {
          gw {
            version = 2
            local_addrs = %1$s
            remote_addrs = %2$s
            encap = %9$s
            proposals = %5$s
            local {
              auth = psk
              id = %8$s
            }
            remote {
              auth = psk
              id = %2$s
            }
            children {
              net {
                local_ts = %3$s
                remote_ts = %4$s
                esp_proposals = %6$s
                start_action = none
              }
            }
          }
        }
        secrets {
          ike-gw {
            id-1 = %2$s
            id-2 = %8$s
            secret = "%7$s"
          }
        }
        """.formatted(self, gateway, localTs, remoteTs, proposals, espProposals, psk, selfId, forceEncap ? "yes" : "no");
  }
}
