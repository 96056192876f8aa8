package dev.vpngw.dataplane.ike.sa;

import dev.vpngw.dataplane.ike.crypto.PskAuthenticator;
import dev.vpngw.dataplane.ike.error.AuthenticationFailedException;
import dev.vpngw.dataplane.ike.error.IkeProtocolException;
import dev.vpngw.dataplane.ike.error.InvalidSyntaxException;
import dev.vpngw.dataplane.ike.message.AuthPayload;
import dev.vpngw.dataplane.ike.message.ExchangeType;
import dev.vpngw.dataplane.ike.message.IdPayload;
import dev.vpngw.dataplane.ike.message.IkeMessage;
import dev.vpngw.dataplane.ike.message.IkePayload;
import dev.vpngw.dataplane.ike.message.NotifyPayload;
import dev.vpngw.dataplane.ike.message.NotifyType;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IKE_AUTH (RFC 7296 §1.2, §2.15) with a pre-shared key, carrying the first child SA. The AUTH
 * computation goes through {@link Authenticator} so certificate signatures can plug in later.
 */
final class IkeAuthTask extends Task {
  private static final Logger log = LoggerFactory.getLogger(IkeAuthTask.class);
  private ChildNegotiation child;
  private IdPayload idi;

  IkeAuthTask(IkeSa sa) {
    super(sa);
  }

  @Override
  ExchangeType exchange() {
    return ExchangeType.IKE_AUTH;
  }

  @Override
  boolean fatal() {
    return true;
  }

  /** How AUTH payloads are made and checked; PSK today, signatures later. */
  interface Authenticator {
    AuthPayload sign(IkeSa sa, byte[] signedOctets);

    void verify(IkeSa sa, AuthPayload auth, byte[] signedOctets) throws AuthenticationFailedException;
  }

  static final Authenticator PSK = new Authenticator() {
    @Override
    public AuthPayload sign(IkeSa sa, byte[] octets) {
      return new AuthPayload(AuthPayload.SHARED_KEY_MIC, PskAuthenticator.authData(sa.suite.prf(), sa.conn.psk(), octets));
    }

    @Override
    public void verify(IkeSa sa, AuthPayload auth, byte[] octets) throws AuthenticationFailedException {
      if (auth.method() != AuthPayload.SHARED_KEY_MIC) {
        throw new AuthenticationFailedException("peer used auth method " + auth.method() + ", we require a shared key");
      }
      if (!PskAuthenticator.verify(sa.suite.prf(), sa.conn.psk(), octets, auth.data())) {
        throw new AuthenticationFailedException("peer's AUTH does not match our pre-shared key");
      }
    }
  };

  /** The octets AUTH covers (RFC 7296 §2.15) for the side that sent {@code id}. */
  static byte[] octets(IkeSa sa, boolean ofInitiator, IdPayload id) {
    byte[] realMessage = ofInitiator ? sa.initRequestRaw : sa.initResponseRaw;
    byte[] peerNonce = ofInitiator ? sa.nr : sa.ni;
    byte[] idBody = id.encodeBody();
    return PskAuthenticator.signedOctets(sa.suite.prf(), realMessage, peerNonce, sa.keys.skP(ofInitiator), idBody);
  }

  @Override
  List<IkePayload> build() {
    idi = sa.conn.localId().toPayload(true);
    List<IkePayload> p = new ArrayList<>();
    p.add(idi);
    p.add(NotifyPayload.of(NotifyType.INITIAL_CONTACT));
    if (sa.conn.remoteId() != null) {
      p.add(sa.conn.remoteId().toPayload(false));
    }
    p.add(PSK.sign(sa, octets(sa, true, idi)));
    child = new ChildNegotiation(sa, true);
    // The first selector pair rides in IKE_AUTH; the others follow as CREATE_CHILD_SA once we are up.
    var first = sa.conn.childPairs().getFirst();
    p.addAll(child.buildRequest(null, 0, first.local(), first.remote()));
    return p;
  }

  @Override
  Outcome process(IkeMessage r, byte[] raw) throws IkeProtocolException {
    try {
      return processResponse(r);
    } finally {
      sa.forgetInitMessagesOnceAuthenticated();
    }
  }

  private Outcome processResponse(IkeMessage r) throws IkeProtocolException {
    var idr = r.id(false);
    var auth = r.first(AuthPayload.class);
    if (idr.isEmpty() || auth.isEmpty()) {
      var err = r.firstErrorNotify();
      if (err.isPresent()) {
        throw IkeProtocolException.fromNotify(err.get().notifyType(), err.get().data());
      }
      throw new InvalidSyntaxException("IKE_AUTH response without IDr/AUTH");
    }
    if (sa.conn.remoteId() != null && !sa.conn.remoteId().matches(idr.get())) {
      throw new AuthenticationFailedException("peer identity " + idr.get().display() + " is not " + sa.conn.remoteId());
    }
    PSK.verify(sa, auth.get(), octets(sa, false, idr.get()));
    sa.established();
    var childErr = r.firstErrorNotify();
    if (childErr.isPresent()) {
      // IKE SA is up but the child was refused (RFC 7296 §1.2): report it and tear the SA down.
      IkeProtocolException e = IkeProtocolException.fromNotify(childErr.get().notifyType(), childErr.get().data());
      sa.recordError(e);
      sa.publish();
      sa.queueFirst(new IkeDeleteTask(sa));
      return Outcome.DONE;
    }
    try {
      child.processResponse(r);
    } catch (IkeProtocolException e) {
      sa.recordError(e);
      sa.queueFirst(new IkeDeleteTask(sa));
      sa.publish();
      return Outcome.DONE;
    }
    sa.createMissingChildrenSoon(java.time.Duration.ZERO);
    sa.publish();
    return Outcome.DONE;
  }

  static List<IkePayload> respond(IkeSa sa, IkeMessage req) throws IkeProtocolException {
    try {
      return respondToRequest(sa, req);
    } finally {
      sa.forgetInitMessagesOnceAuthenticated();
    }
  }

  private static List<IkePayload> respondToRequest(IkeSa sa, IkeMessage req) throws IkeProtocolException {
    IdPayload idi = req.id(true).orElseThrow(() -> new InvalidSyntaxException("IKE_AUTH without IDi"));
    AuthPayload auth = req.first(AuthPayload.class).orElseThrow(() -> new InvalidSyntaxException("IKE_AUTH without AUTH"));
    if (sa.conn.remoteId() != null && !sa.conn.remoteId().matches(idi)) {
      throw new AuthenticationFailedException("peer identity " + idi.display() + " is not " + sa.conn.remoteId());
    }
    var wantedIdr = req.id(false);
    if (wantedIdr.isPresent() && !sa.conn.localId().matches(wantedIdr.get())) {
      log.debug("{}: peer asks for IDr {}, we are {}", sa.conn.name(), wantedIdr.get().display(), sa.conn.localId());
    }
    PSK.verify(sa, auth, octets(sa, true, idi));
    IdPayload idr = sa.conn.localId().toPayload(false);
    List<IkePayload> out = new ArrayList<>();
    out.add(idr);
    out.add(PSK.sign(sa, octets(sa, false, idr)));
    sa.established();
    if (req.notify(NotifyType.INITIAL_CONTACT).isPresent()) {
      sa.host.initialContact(sa);
    }
    try {
      out.addAll(ChildNegotiation.respond(sa, req, true, true, null).payloads());
      // The initiator usually creates its further children at once; fill the pairs it leaves out.
      sa.createMissingChildrenSoon(sa.responderChildGrace());
    } catch (IkeProtocolException e) {
      // The IKE SA stands; the child is refused with the notify (RFC 7296 §1.2).
      sa.recordError(e);
      out.add(NotifyPayload.error(e.notifyType(), e.notifyData()));
    }
    sa.publish();
    return out;
  }
}
