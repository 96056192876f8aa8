package dev.vpngw.dataplane.testsupport;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A swanctl.conf for a strongSwan peer facing one vpngw gateway: IP identities, PSK, forced UDP
 * encapsulation (ESP in 4500, as vpngw always uses), one child SA named "net" that is not started
 * by strongSwan itself. The IKE connection is named "gw". {@link #withChildren} gives several
 * children instead (a policy-based device with one child per selector pair).
 */
public record SwanctlConf(String self, String gateway, String localTs, String remoteTs, String proposals,
    String espProposals, String psk, List<Child> children) {

  /** One child config: its selectors (comma-separated lists), ESP proposals and start_action. */
  public record Child(String name, String localTs, String remoteTs, String espProposals, String startAction) {}

  public SwanctlConf(String self, String gateway, String localTs, String remoteTs, String proposals,
      String espProposals, String psk) {
    this(self, gateway, localTs, remoteTs, proposals, espProposals, psk,
        List.of(new Child("net", localTs, remoteTs, espProposals, "none")));
  }

  public SwanctlConf withChildren(List<Child> newChildren) {
    return new SwanctlConf(self, gateway, localTs, remoteTs, proposals, espProposals, psk, newChildren);
  }

  public String render() {
    return render(self, true);
  }

  /**
   * With another local identity (a peer behind a NAT identifies as its public address, as the
   * LocalNetworkGateway's gatewayIpAddress says) and optionally without forced encapsulation, so
   * NAT detection reports only the NATs that are really there.
   */
  public String render(String selfId, boolean forceEncap) {
    String childBlocks = children.stream().map(c -> """
              %s {
                local_ts = %s
                remote_ts = %s
                esp_proposals = %s
                start_action = %s
              }
        """.formatted(c.name(), c.localTs(), c.remoteTs(), c.espProposals(), c.startAction()))
        .collect(Collectors.joining());
    return """
        connections {
          gw {
            version = 2
            local_addrs = %1$s
            remote_addrs = %2$s
            encap = %7$s
            proposals = %3$s
            local {
              auth = psk
              id = %6$s
            }
            remote {
              auth = psk
              id = %2$s
            }
            children {
        %5$s      }
          }
        }
        secrets {
          ike-gw {
            id-1 = %2$s
            id-2 = %6$s
            secret = "%4$s"
          }
        }
        """.formatted(self, gateway, proposals, psk, childBlocks, selfId, forceEncap ? "yes" : "no");
  }
}
