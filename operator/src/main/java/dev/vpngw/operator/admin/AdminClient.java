package dev.vpngw.operator.admin;

/**
 * The operator's side of a gateway pod's admin endpoint. Behind an interface so tests use a fake;
 * {@link HttpAdminClient} is the real one.
 */
public interface AdminClient {

  /** GET /status of one instance. */
  InstanceReport status(String host, int port) throws AdminException;

  /** POST an operation (e.g. {@code /v1/reload}) with the instance's bearer token; returns the response text. */
  String post(String host, int port, String path, String token) throws AdminException;

  /** A failed admin call: unreachable, timed out, or a non-2xx answer. */
  final class AdminException extends Exception {
    private final int status;

    public AdminException(String message, int status, Throwable cause) {
      super(message, cause);
      this.status = status;
    }

    /** HTTP status, or 0 when no answer came. */
    public int status() {
      return status;
    }
  }
}
