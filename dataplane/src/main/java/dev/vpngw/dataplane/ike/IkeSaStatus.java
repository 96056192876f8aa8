package dev.vpngw.dataplane.ike;

import java.time.Instant;
import java.util.List;

/**
 * Read-only view of a connection's current IKE SA for status and the admin endpoint.
 *
 * @param lastError  e.g. "AUTHENTICATION_FAILED: peer sent AUTHENTICATION_FAILED", null when none
 * @param lastErrorNotify the NOTIFY name alone (AUTHENTICATION_FAILED, NO_PROPOSAL_CHOSEN …) or null
 * @param nat        what NAT detection found (which side is behind a NAT)
 * @param peerMoves  how often the peer's endpoint moved (NAT mapping changed) and we followed it
 */
public record IkeSaStatus(String connection, IkeSaState state, boolean initiator, long initiatorSpi, long responderSpi,
    String algorithms, String local, String remote, Instant establishedAt, int ikeRekeys, int childRekeys,
    List<ChildSaStatus> children, String lastError, String lastErrorNotify, List<String> weakAlgorithms,
    NatTraversal nat, int peerMoves) {

  public String initiatorSpiHex() {
    return String.format("%016x", initiatorSpi);
  }

  public String responderSpiHex() {
    return String.format("%016x", responderSpi);
  }
}
