package dev.vpngw.dataplane.ike;

/** IKE SA life cycle, strongSwan's ike_sa states plus FAILED for status. */
public enum IkeSaState {
  CREATED, CONNECTING, ESTABLISHED, REKEYING, REKEYED, DELETING, DESTROYED, FAILED
}
