package dev.vpngw.dataplane.config;

import java.util.List;

/**
 * Something the plan runs with but the user should know, e.g. reason {@code WeakCryptography} with
 * the fields that select weak algorithms ({@code spec.ipsecPolicies[0].dhGroup}).
 */
public record PlanWarning(String reason, List<String> fields, String message) {
  public static final String WEAK_CRYPTOGRAPHY = "WeakCryptography";

  public PlanWarning {
    fields = List.copyOf(fields);
  }
}
