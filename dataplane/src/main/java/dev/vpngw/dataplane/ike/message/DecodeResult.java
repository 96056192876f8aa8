package dev.vpngw.dataplane.ike.message;

import dev.vpngw.dataplane.ike.error.IkeProtocolException;

/**
 * What decoding a datagram produced (Android IKE's DecodeResult): a whole message, an error found
 * after the message authenticated (answer it with a notify), an error found before (drop silently,
 * RFC 7296 §2.21), or one more fragment of a message still being reassembled (RFC 7383).
 */
public sealed interface DecodeResult {
  record Ok(IkeMessage message) implements DecodeResult {}

  record ProtectedError(IkeHeader header, IkeProtocolException error) implements DecodeResult {}

  /** {@code header} is null when even the header could not be read. */
  record UnprotectedError(IkeHeader header, IkeProtocolException error) implements DecodeResult {}

  record Partial(IkeHeader header, int fragmentsReceived, int totalFragments) implements DecodeResult {}
}
