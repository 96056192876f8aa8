package dev.vpngw.dataplane.ike.message;

import java.util.HexFormat;

/** A payload of a type we do not implement (CERT, CERTREQ, EAP …); ignorable unless critical. */
public record UnknownPayload(int type, boolean critical, byte[] body) implements IkePayload {
  public UnknownPayload {
    body = body.clone();
  }

  @Override
  public byte[] encodeBody() {
    return body.clone();
  }

  @Override
  public String toString() {
    return "Unknown[type=" + type + " critical=" + critical + " " + HexFormat.of().formatHex(body) + "]";
  }
}
