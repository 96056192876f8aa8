package dev.vpngw.dataplane.bgp.attr;

import java.util.Arrays;

/**
 * An attribute the speaker passes on without interpreting (optional transitive, ATOMIC_AGGREGATE,
 * AGGREGATOR). On re-advertisement an unrecognised optional transitive gets the Partial bit.
 */
public record UnknownAttribute(int flags, int type, byte[] value) {
  public UnknownAttribute {
    value = value.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UnknownAttribute u && u.flags == flags && u.type == type && Arrays.equals(u.value, value);
  }

  @Override
  public int hashCode() {
    return (flags * 31 + type) * 31 + Arrays.hashCode(value);
  }
}
