package dev.vpngw.dataplane.config;

import com.fasterxml.jackson.annotation.JsonValue;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A connection's pre-shared key, resolved from its Secret. Never printed: {@link #toString()} and
 * JSON/YAML serialization show {@value #MASK}. Equality compares the key in constant time so a
 * reload can tell a rotated key from an unchanged one without exposing it.
 */
public final class Psk {
  public static final String MASK = "<redacted>";

  private final byte[] key;

  public Psk(byte[] key) {
    if (key == null || key.length == 0) {
      throw new IllegalArgumentException("a pre-shared key must not be empty");
    }
    this.key = key.clone();
  }

  /** A copy of the key for the IKE engine (callers should wipe it when done). */
  public byte[] bytes() {
    return key.clone();
  }

  public int length() {
    return key.length;
  }

  @JsonValue
  @Override
  public String toString() {
    return MASK;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Psk p && MessageDigest.isEqual(p.key, key);
  }

  @Override
  public int hashCode() {
    // Length only: a hash of the key would be an offline oracle for short keys.
    return key.length;
  }

  /** Overwrites the held key (e.g. when a plan is discarded). */
  public void wipe() {
    Arrays.fill(key, (byte) 0);
  }
}
