package dev.vpngw.dataplane.status;

import java.util.List;

/**
 * One child SA of a tunnel, as admin {@code /status} lists it (policy-based tunnels have one per
 * traffic-selector pair, like {@code swanctl --list-sas}).
 *
 * @param esp       negotiated ESP algorithms, e.g. "aes256gcm16" or "aes256gcm16/esn"
 * @param localTs   our side's selectors, e.g. "198.18.1.0..198.18.1.255"
 */
public record ChildSaObservation(String tunnel, String state, String inboundSpi, String outboundSpi, String esp,
    List<String> localTs, List<String> remoteTs, long bytesIn, long bytesOut, String established) {

  public ChildSaObservation {
    localTs = localTs == null ? List.of() : List.copyOf(localTs);
    remoteTs = remoteTs == null ? List.of() : List.copyOf(remoteTs);
  }
}
