package dev.vpngw.crds.validation;

/**
 * An object field that breaks its CRD's schema.
 *
 * @param path the field, e.g. {@code spec.ipsecPolicies[0].saLifeTimeSeconds} ({@code spec} for rules on spec)
 * @param message what is wrong, in the API server's words where possible
 * @param rule the CEL rule that rejected the object, or null for an OpenAPI check (type, enum, range ...)
 * @param evaluationError non-null when the CEL rule could not be evaluated (counts as a rejection)
 */
public record SchemaViolation(String path, String message, CrdRule rule, String evaluationError) {
  @Override
  public String toString() {
    return path + ": " + message;
  }
}
