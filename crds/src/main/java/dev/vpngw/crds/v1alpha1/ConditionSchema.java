package dev.vpngw.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Schema-only twin of {@link io.fabric8.kubernetes.api.model.Condition} (which the status classes
 * use at runtime) so the generated CRDs document every condition field for kubectl explain.
 */
public record ConditionSchema(
    @JsonPropertyDescription("Condition type: Ready, or a specific one (e.g. Valid, Resolved, TunnelsUp).")
    String type,
    @JsonPropertyDescription("True, False or Unknown.")
    String status,
    @JsonPropertyDescription("The metadata.generation the condition was set for.")
    Long observedGeneration,
    @JsonPropertyDescription("When status last changed (RFC 3339).")
    String lastTransitionTime,
    @JsonPropertyDescription("CamelCase reason for the last transition, e.g. SkuLimitExceeded or SecretNotFound.")
    String reason,
    @JsonPropertyDescription("Human-readable details, naming the field concerned.")
    String message) {}
