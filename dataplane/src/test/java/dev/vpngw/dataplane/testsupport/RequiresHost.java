package dev.vpngw.dataplane.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Declares what a test needs from the host: root, network namespaces, /dev/net/tun, and binaries
 * on the PATH (strongSwan's charon, BIRD, iperf3 …).
 *
 * <p>Without {@code CI=true} a test whose needs are not met is skipped with a message naming what
 * is missing; with {@code CI=true} it fails instead, so CI can never go green by skipping the
 * interop suite.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(HostRequirementsExtension.class)
public @interface RequiresHost {
  /** Needs root (CAP_NET_ADMIN), {@code ip netns} and /dev/net/tun. */
  boolean netAdmin() default true;

  /** Executables that must be on the PATH, e.g. {@code "charon-systemd", "swanctl"}. */
  String[] binaries() default {};
}
