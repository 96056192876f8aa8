package dev.vpngw.dataplane.config;

/**
 * A Connection of this gateway that does not run, and why (the first blocking finding: its reason,
 * field and message). Other connections run regardless.
 */
public record ExcludedConnection(String name, String reason, String field, String message) {}
