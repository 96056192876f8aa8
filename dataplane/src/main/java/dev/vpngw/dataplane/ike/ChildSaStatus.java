package dev.vpngw.dataplane.ike;

import java.time.Instant;
import java.util.List;

/** Read-only view of one child SA for the admin endpoint. SPIs as unsigned hex, like swanctl. */
public record ChildSaStatus(String state, int inboundSpi, int outboundSpi, String algorithms, List<String> localTs,
    List<String> remoteTs, Instant establishedAt, List<String> weakAlgorithms) {

  public String inboundSpiHex() {
    return String.format("%08x", inboundSpi);
  }

  public String outboundSpiHex() {
    return String.format("%08x", outboundSpi);
  }
}
