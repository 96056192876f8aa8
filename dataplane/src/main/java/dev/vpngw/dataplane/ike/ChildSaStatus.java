package dev.vpngw.dataplane.ike;

import java.time.Instant;
import java.util.List;

/**
 * Read-only view of one child SA for the admin endpoint. SPIs as unsigned hex, like swanctl.
 * {@code initiatedByUs}: we sent the CREATE_CHILD_SA/IKE_AUTH request that created it.
 */
public record ChildSaStatus(String state, int inboundSpi, int outboundSpi, String algorithms, List<String> localTs,
    List<String> remoteTs, Instant establishedAt, boolean initiatedByUs, List<String> weakAlgorithms) {

  public String inboundSpiHex() {
    return String.format("%08x", inboundSpi);
  }

  public String outboundSpiHex() {
    return String.format("%08x", outboundSpi);
  }
}
