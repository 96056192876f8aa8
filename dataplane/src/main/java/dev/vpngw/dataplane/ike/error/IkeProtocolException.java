package dev.vpngw.dataplane.ike.error;

import dev.vpngw.dataplane.ike.message.NotifyType;

/**
 * A protocol error that maps 1:1 to an IKEv2 NOTIFY error type (RFC 7296 §3.10.1), the way Android's
 * IKE library models them: whoever catches it can answer the peer with {@link #notifyType()} and
 * {@link #notifyData()}, and status shows {@link #notifyName()}.
 */
public abstract sealed class IkeProtocolException extends Exception
    permits UnsupportedCriticalPayloadException, InvalidIkeSpiException, InvalidMajorVersionException,
        InvalidSyntaxException, InvalidMessageIdException, InvalidSpiException, NoProposalChosenException,
        InvalidKePayloadException, AuthenticationFailedException, SinglePairRequiredException,
        NoAdditionalSasException, InternalAddressFailureException, FailedCpRequiredException,
        TsUnacceptableException, InvalidSelectorsException, TemporaryFailureException,
        ChildSaNotFoundException, UnrecognizedNotifyErrorException {

  private final int notifyType;

  protected IkeProtocolException(int notifyType, String message) {
    super(message);
    this.notifyType = notifyType;
  }

  protected IkeProtocolException(NotifyType type, String message) {
    this(type.value(), message);
  }

  public int notifyType() {
    return notifyType;
  }

  public String notifyName() {
    return NotifyType.nameOf(notifyType);
  }

  /** Notification data to send with the error (empty for most types). */
  public byte[] notifyData() {
    return new byte[0];
  }

  /** Builds the typed exception for an error notify received from the peer. */
  public static IkeProtocolException fromNotify(int type, byte[] data) {
    String msg = "peer sent " + NotifyType.nameOf(type);
    NotifyType t = NotifyType.of(type);
    if (t == null) {
      return new UnrecognizedNotifyErrorException(type, msg);
    }
    return switch (t) {
      case UNSUPPORTED_CRITICAL_PAYLOAD ->
          new UnsupportedCriticalPayloadException(data.length > 0 ? data[0] & 0xff : 0);
      case INVALID_IKE_SPI -> new InvalidIkeSpiException(msg);
      case INVALID_MAJOR_VERSION -> new InvalidMajorVersionException(msg);
      case INVALID_SYNTAX -> new InvalidSyntaxException(msg);
      case INVALID_MESSAGE_ID -> new InvalidMessageIdException(msg);
      case INVALID_SPI -> new InvalidSpiException(msg);
      case NO_PROPOSAL_CHOSEN -> new NoProposalChosenException(msg);
      case INVALID_KE_PAYLOAD ->
          new InvalidKePayloadException(data.length >= 2 ? ((data[0] & 0xff) << 8) | (data[1] & 0xff) : 0);
      case AUTHENTICATION_FAILED -> new AuthenticationFailedException(msg);
      case SINGLE_PAIR_REQUIRED -> new SinglePairRequiredException(msg);
      case NO_ADDITIONAL_SAS -> new NoAdditionalSasException(msg);
      case INTERNAL_ADDRESS_FAILURE -> new InternalAddressFailureException(msg);
      case FAILED_CP_REQUIRED -> new FailedCpRequiredException(msg);
      case TS_UNACCEPTABLE -> new TsUnacceptableException(msg);
      case INVALID_SELECTORS -> new InvalidSelectorsException(msg);
      case TEMPORARY_FAILURE -> new TemporaryFailureException(msg);
      case CHILD_SA_NOT_FOUND -> new ChildSaNotFoundException(msg);
      default -> new UnrecognizedNotifyErrorException(type, msg);
    };
  }
}
