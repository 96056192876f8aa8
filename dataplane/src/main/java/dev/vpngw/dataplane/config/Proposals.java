package dev.vpngw.dataplane.config;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * The IKE and child SA algorithms a connection offers and accepts. Either Azure's default sets
 * (which differ between RouteBased and PolicyBased gateways; the IKE engine owns the actual lists)
 * or one custom policy whose eight Azure values are kept verbatim, e.g. ikeEncryption "AES256".
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Proposals.AzureDefaults.class, name = "AzureDefaults"),
  @JsonSubTypes.Type(value = Proposals.Custom.class, name = "Custom")
})
public sealed interface Proposals {

  /** Short form for status and logs: "Azure defaults (RouteBased)" or "AES256/SHA256/DHGroup14 + GCMAES256/GCMAES256/None". */
  String summary();

  /** Azure's default policy for the gateway's vpnType (reference §4). */
  record AzureDefaults(String vpnType) implements Proposals {
    @Override
    public String summary() {
      return "Azure defaults (" + vpnType + ")";
    }
  }

  /** A custom {@code ipsecPolicies[0]}: Azure's names, exactly as written in the Connection. */
  record Custom(String ikeEncryption, String ikeIntegrity, String dhGroup, String ipsecEncryption,
      String ipsecIntegrity, String pfsGroup) implements Proposals {
    @Override
    public String summary() {
      return ikeEncryption + "/" + ikeIntegrity + "/" + dhGroup + " + " + ipsecEncryption + "/" + ipsecIntegrity + "/"
          + pfsGroup;
    }
  }
}
