package dev.vpngw.dataplane.cli;

/** Exit codes of {@code vpngw}. */
public final class ExitCodes {
  private ExitCodes() {}

  public static final int OK = 0;
  /** An operation was refused or failed (HTTP error from the admin endpoint, engine start failure). */
  public static final int FAILED = 1;
  /** Bad command line (picocli's usage error code). */
  public static final int USAGE = 2;
  /** The manifests cannot be loaded or the gateway itself is invalid. */
  public static final int INVALID_CONFIG = 3;
  /** The admin endpoint cannot be reached. */
  public static final int UNREACHABLE = 4;
}
