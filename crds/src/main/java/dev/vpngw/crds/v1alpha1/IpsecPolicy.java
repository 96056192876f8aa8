package dev.vpngw.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A custom IPsec/IKE policy (Azure: IpsecPolicy). All eight fields are required, as in Azure. The
 * policy replaces the default proposals for both directions; the IKE SA lifetime stays 28,800 s.
 */
@ValidationRule(
    value = "!(self.ipsecEncryption.startsWith('GCM') || self.ipsecIntegrity.startsWith('GCM')) || self.ipsecEncryption == self.ipsecIntegrity",
    message = "ipsecIntegrity: a GCMAES ipsecEncryption needs the same GCMAES ipsecIntegrity (same key length), and a GCMAES ipsecIntegrity needs the same GCMAES ipsecEncryption",
    fieldPath = ".ipsecIntegrity")
@ValidationRule(
    value = "!self.ikeIntegrity.startsWith('GCM') || self.ikeEncryption == self.ikeIntegrity",
    message = "ikeIntegrity: a GCMAES ikeIntegrity needs the same GCMAES ikeEncryption (with a GCMAES ikeEncryption, a SHA ikeIntegrity serves as PRF)",
    fieldPath = ".ikeIntegrity")
public record IpsecPolicy(
    @Required @Min(300)
    @JsonPropertyDescription("IPsec (Quick Mode) SA lifetime in seconds; at least 300 (Azure default 27000). Local to this side: the peer's lifetime need not match.")
    Integer saLifeTimeSeconds,
    @Required @Min(1024)
    @JsonPropertyDescription("IPsec (Quick Mode) SA lifetime in kilobytes; at least 1024 (Azure default 102400000).")
    Integer saDataSizeKilobytes,
    @Required
    @JsonPropertyDescription("IPsec (Quick Mode, ESP) encryption: None, DES, DES3, AES128, AES192, AES256, GCMAES128, GCMAES192, GCMAES256.")
    IpsecEncryption ipsecEncryption,
    @Required
    @JsonPropertyDescription("IPsec (Quick Mode, ESP) integrity: MD5, SHA1, SHA256, GCMAES128, GCMAES192, GCMAES256. GCMAES values must equal ipsecEncryption.")
    IpsecIntegrity ipsecIntegrity,
    @Required
    @JsonPropertyDescription("IKE (Main Mode) encryption: DES, DES3, AES128, AES192, AES256, GCMAES128, GCMAES256.")
    IkeEncryption ikeEncryption,
    @Required
    @JsonPropertyDescription("IKE (Main Mode) integrity, also the PRF with IKEv2: MD5, SHA1, SHA256, SHA384, GCMAES128, GCMAES256. GCMAES values must equal ikeEncryption.")
    IkeIntegrity ikeIntegrity,
    @Required
    @JsonPropertyDescription("IKE (Main Mode) Diffie-Hellman group: None, DHGroup1, DHGroup2, DHGroup14, DHGroup2048 (= DHGroup14), ECP256, ECP384, DHGroup24.")
    DhGroup dhGroup,
    @Required
    @JsonPropertyDescription("IPsec (Quick Mode) PFS group: None, PFS1, PFS2, PFS2048 (= PFS14), PFS14, PFS24, ECP256, ECP384, PFSMM (same as the IKE group).")
    PfsGroup pfsGroup) {}
