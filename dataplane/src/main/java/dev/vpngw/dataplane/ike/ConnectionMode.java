package dev.vpngw.dataplane.ike;

/** Azure's connectionMode: who may start the first IKE SA (rekeys go either way). */
public enum ConnectionMode {
  /** Dial and accept, whichever comes first. */
  DEFAULT,
  /** We initiate; peer-initiated IKE_SA_INIT is refused. */
  INITIATOR_ONLY,
  /** We only answer. */
  RESPONDER_ONLY
}
