package dev.vpngw.dataplane.status;

import dev.vpngw.crds.v1alpha1.BgpPeerStatus;

/** One BGP session and the connection (tunnel) it runs over. */
public record BgpObservation(String connection, String tunnel, BgpPeerStatus status) {}
