package dev.vpngw.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The algorithms an IKE SA negotiated, in Azure's vocabulary where one exists. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record NegotiatedIke(
    @JsonPropertyDescription("IKE encryption, e.g. AES256 or GCMAES256.")
    String encryption,
    @JsonPropertyDescription("IKE integrity (absent with GCM), e.g. SHA256.")
    String integrity,
    @JsonPropertyDescription("IKE pseudo-random function, e.g. SHA384.")
    String prf,
    @JsonPropertyDescription("Diffie-Hellman group, e.g. DHGroup14 or ECP256.")
    String dhGroup) {}
