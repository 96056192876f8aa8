package dev.vpngw.dataplane.ike.sa;

import dev.vpngw.dataplane.ike.IkeSaState;
import dev.vpngw.dataplane.ike.crypto.DhGroup;
import dev.vpngw.dataplane.ike.crypto.IkeSaKeys;
import dev.vpngw.dataplane.ike.crypto.KeyExchange;
import dev.vpngw.dataplane.ike.error.IkeProtocolException;
import dev.vpngw.dataplane.ike.error.InvalidKePayloadException;
import dev.vpngw.dataplane.ike.error.InvalidSyntaxException;
import dev.vpngw.dataplane.ike.error.NoProposalChosenException;
import dev.vpngw.dataplane.ike.message.ExchangeType;
import dev.vpngw.dataplane.ike.message.IkeMessage;
import dev.vpngw.dataplane.ike.message.IkePayload;
import dev.vpngw.dataplane.ike.message.KePayload;
import dev.vpngw.dataplane.ike.message.NoncePayload;
import dev.vpngw.dataplane.ike.message.NotifyPayload;
import dev.vpngw.dataplane.ike.message.NotifyType;
import dev.vpngw.dataplane.ike.message.Proposal;
import dev.vpngw.dataplane.ike.message.SaPayload;
import dev.vpngw.dataplane.ike.proposal.IkeProposal;
import dev.vpngw.dataplane.ike.proposal.ProposalSelector;
import java.util.ArrayList;
import java.util.List;

/**
 * IKE_SA_INIT (RFC 7296 §1.2): proposals, key exchange, nonces, NAT detection. Handles COOKIE
 * (§2.6) and INVALID_KE_PAYLOAD (§1.3) by retrying with the same message ID.
 */
final class IkeInitTask extends Task {
  private DhGroup group;
  private KeyExchange ke;
  private byte[] cookie;
  private int retries;

  IkeInitTask(IkeSa sa) {
    super(sa);
    group = sa.conn.ikePolicy().proposals().getFirst().dhGroups().getFirst();
  }

  @Override
  ExchangeType exchange() {
    return ExchangeType.IKE_SA_INIT;
  }

  @Override
  boolean fatal() {
    return true;
  }

  @Override
  List<IkePayload> build() {
    if (ke == null || ke.group() != group) {
      ke = sa.host.keyExchanges().create(group);
    }
    if (sa.ni == null) {
      sa.ni = sa.host.nonces().nonce(IkeSa.NONCE_LENGTH);
    }
    List<IkePayload> p = new ArrayList<>();
    if (cookie != null) {
      p.add(NotifyPayload.of(NotifyType.COOKIE, cookie));
    }
    p.add(new SaPayload(offer(sa.conn.ikePolicy().proposals(), group, new byte[0])));
    p.add(new KePayload(group.id(), ke.publicValue()));
    p.add(new NoncePayload(sa.ni));
    p.addAll(NatDetection.notifies(sa, 0));
    p.add(NotifyPayload.of(NotifyType.FRAGMENTATION_SUPPORTED));
    return p;
  }

  /** Our proposals, numbered, with the group we send a KE for moved first inside each proposal. */
  static List<Proposal> offer(List<IkeProposal> ours, DhGroup keGroup, byte[] spi) {
    List<Proposal> out = new ArrayList<>();
    int n = 1;
    for (IkeProposal p : ours) {
      List<DhGroup> groups = new ArrayList<>(p.dhGroups());
      if (groups.remove(keGroup)) {
        groups.addFirst(keGroup);
      }
      out.add(new IkeProposal(p.encryption(), p.keyBits(), p.integrity(), p.prf(), groups).toWire(n++, spi));
    }
    return out;
  }

  @Override
  Outcome process(IkeMessage r, byte[] raw) throws IkeProtocolException {
    var cookieN = r.notify(NotifyType.COOKIE);
    if (cookieN.isPresent() && retries++ < 3) {
      cookie = cookieN.get().data();
      return Outcome.RETRY;
    }
    var invalidKe = r.notify(NotifyType.INVALID_KE_PAYLOAD);
    if (invalidKe.isPresent()) {
      var e = (InvalidKePayloadException) dev.vpngw.dataplane.ike.error.IkeProtocolException.fromNotify(
          NotifyType.INVALID_KE_PAYLOAD.value(), invalidKe.get().data());
      DhGroup wanted = DhGroup.byId(e.acceptedGroup());
      boolean offered = wanted != null && sa.conn.ikePolicy().proposals().stream().anyMatch(p -> p.dhGroups().contains(wanted));
      if (!offered || retries++ >= 3) {
        throw new NoProposalChosenException("peer wants DH group " + e.acceptedGroup() + " which we did not offer");
      }
      group = wanted;
      return Outcome.RETRY;
    }
    var err = r.firstErrorNotify();
    if (err.isPresent()) {
      throw IkeProtocolException.fromNotify(err.get().notifyType(), err.get().data());
    }
    SaPayload sap = r.first(SaPayload.class).orElseThrow(() -> new InvalidSyntaxException("IKE_SA_INIT response without SA"));
    KePayload kep = r.first(KePayload.class).orElseThrow(() -> new InvalidSyntaxException("IKE_SA_INIT response without KE"));
    NoncePayload np = r.first(NoncePayload.class).orElseThrow(() -> new InvalidSyntaxException("IKE_SA_INIT response without Nr"));
    if (sap.proposals().size() != 1) {
      throw new InvalidSyntaxException("responder returned " + sap.proposals().size() + " proposals");
    }
    // The answer must be one of ours: run it through our own selector.
    var sel = ProposalSelector.selectIke(sa.conn.ikePolicy().proposals(), sap.proposals(), kep.dhGroup());
    if (sel.suite().dhGroup() != group || kep.dhGroup() != group.id()) {
      throw new InvalidSyntaxException("responder chose DH group " + kep.dhGroup() + " but we sent " + group.id());
    }
    if (r.header().responderSpi() == 0) {
      throw new InvalidSyntaxException("responder SPI is zero");
    }
    sa.spiR = r.header().responderSpi();
    sa.nr = np.nonce();
    sa.initResponseRaw = raw;
    byte[] shared;
    try {
      shared = ke.sharedSecret(kep.data());
    } catch (IllegalArgumentException e) {
      throw new InvalidSyntaxException(e.getMessage());
    }
    sa.setKeys(IkeSaKeys.deriveInitial(sel.suite(), shared, sa.ni, sa.nr, sa.spiI, sa.spiR));
    sa.nat = NatDetection.detect(sa, r, sa.spiR);
    sa.fragmentation = r.notify(NotifyType.FRAGMENTATION_SUPPORTED).isPresent();
    if (NatDetection.supported(r)) {
      sa.floatToNatt();
    }
    return Outcome.DONE;
  }

  /** Responder side: select, derive keys, answer; errors become the notify-only response. */
  static List<IkePayload> respond(IkeSa sa, IkeMessage req, byte[] raw) throws IkeProtocolException {
    SaPayload sap = req.first(SaPayload.class).orElseThrow(() -> new InvalidSyntaxException("IKE_SA_INIT without SA"));
    KePayload kep = req.first(KePayload.class).orElseThrow(() -> new InvalidSyntaxException("IKE_SA_INIT without KE"));
    NoncePayload np = req.first(NoncePayload.class).orElseThrow(() -> new InvalidSyntaxException("IKE_SA_INIT without Ni"));
    var sel = ProposalSelector.selectIke(sa.conn.ikePolicy().proposals(), sap.proposals(), kep.dhGroup());
    DhGroup g = sel.suite().dhGroup();
    if (kep.dhGroup() != g.id()) {
      throw new InvalidKePayloadException(g.id());
    }
    KeyExchange ke = sa.host.keyExchanges().create(g);
    byte[] shared;
    try {
      shared = ke.sharedSecret(kep.data());
    } catch (IllegalArgumentException e) {
      throw new InvalidSyntaxException(e.getMessage());
    }
    sa.ni = np.nonce();
    sa.nr = sa.host.nonces().nonce(IkeSa.NONCE_LENGTH);
    sa.initRequestRaw = raw;
    sa.setKeys(IkeSaKeys.deriveInitial(sel.suite(), shared, sa.ni, sa.nr, sa.spiI, sa.spiR));
    sa.nat = NatDetection.detect(sa, req, 0);
    List<IkePayload> p = new ArrayList<>();
    p.add(new SaPayload(List.of(sel.responseProposal(new byte[0]))));
    p.add(new KePayload(g.id(), ke.publicValue()));
    p.add(new NoncePayload(sa.nr));
    if (NatDetection.supported(req)) {
      p.addAll(NatDetection.notifies(sa, sa.spiR));
    }
    if (req.notify(NotifyType.FRAGMENTATION_SUPPORTED).isPresent()) {
      p.add(NotifyPayload.of(NotifyType.FRAGMENTATION_SUPPORTED));
      sa.fragmentation = true;
    }
    sa.state = IkeSaState.CONNECTING;
    return p;
  }
}
