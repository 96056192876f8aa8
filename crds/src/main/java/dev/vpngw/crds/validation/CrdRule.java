package dev.vpngw.crds.validation;

/**
 * One x-kubernetes-validations (CEL) entry of a CRD.
 *
 * @param kind the CRD's kind
 * @param schemaPath where in the object the rule applies (e.g. {@code spec.ipsecPolicies[]})
 * @param expression the CEL expression
 * @param message the message the API server returns when the rule rejects an object
 * @param fieldPath the field the API server blames, relative to schemaPath (e.g. {@code .vpnType}), or null
 */
public record CrdRule(String kind, String schemaPath, String expression, String message, String fieldPath) {

  /** A transition rule (uses oldSelf) only runs on updates, like in the API server. */
  public boolean transition() {
    return expression.contains("oldSelf");
  }

  @Override
  public String toString() {
    return kind + " " + schemaPath + ": " + message;
  }
}
