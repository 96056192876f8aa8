package dev.vpngw.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The algorithms an ESP (child) SA negotiated, in Azure's vocabulary where one exists. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record NegotiatedEsp(
    @JsonPropertyDescription("ESP encryption, e.g. GCMAES256 or AES256.")
    String encryption,
    @JsonPropertyDescription("ESP integrity, e.g. SHA256 (equals encryption with GCM).")
    String integrity,
    @JsonPropertyDescription("PFS group of the last rekey, or None.")
    String pfsGroup) {}
