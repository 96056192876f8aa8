package dev.vpngw.crds.cel;

/**
 * One x-kubernetes-validations entry of a generated CRD.
 *
 * @param kind the CRD's kind
 * @param schemaPath where in the object the rule applies (e.g. {@code spec.ipsecPolicies[]})
 */
record CrdRule(String kind, String schemaPath, String expression, String message) {

  /** A transition rule (uses oldSelf) only runs on updates, like in the API server. */
  boolean transition() {
    return expression.contains("oldSelf");
  }

  @Override
  public String toString() {
    return kind + " " + schemaPath + ": " + message;
  }
}
