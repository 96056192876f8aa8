package dev.vpngw.dataplane.status;

/**
 * Why a tunnel's last attempt failed: a {@link StatusReasons} reason and a message for people
 * (e.g. "AUTHENTICATION_FAILED: peer rejected our AUTH payload").
 */
public record TunnelFailure(String reason, String message) {}
