package dev.vpngw.dataplane.config;

/**
 * SA lifetimes. The IKE SA lifetime is fixed at 28,800 s (Azure: main mode lifetime cannot be
 * changed); the child SA lifetime comes from a custom policy or Azure's default (RouteBased 27,000 s,
 * PolicyBased 3,600 s; 102,400,000 KB either way).
 */
public record Lifetimes(long ikeSeconds, long childSeconds, long childKilobytes) {
  public static final long IKE_SECONDS = 28_800;
  public static final long ROUTE_BASED_CHILD_SECONDS = 27_000;
  public static final long POLICY_BASED_CHILD_SECONDS = 3_600;
  public static final long CHILD_KILOBYTES = 102_400_000L;
}
