package dev.vpngw.dataplane.ike.message;

/**
 * One IKEv2 payload body. The generic payload header (next payload, critical bit, length) is written
 * and read by {@link IkeMessage}, so payloads only know their own body (RFC 7296 §3.2).
 */
public sealed interface IkePayload
    permits SaPayload, KePayload, NoncePayload, IdPayload, AuthPayload, NotifyPayload, DeletePayload,
        VendorPayload, TsPayload, CpPayload, SkPayload, SkfPayload, UnknownPayload {

  /** Wire payload type number. */
  int type();

  /** The critical bit we send: only set for payloads we do not understand when echoing, never by us. */
  default boolean critical() {
    return false;
  }

  byte[] encodeBody();
}
