package dev.vpngw.dataplane.ike.sa;

import dev.vpngw.dataplane.ike.crypto.ChildKeys;
import dev.vpngw.dataplane.ike.crypto.DhGroup;
import dev.vpngw.dataplane.ike.crypto.KeyExchange;
import dev.vpngw.dataplane.ike.error.IkeProtocolException;
import dev.vpngw.dataplane.ike.error.InvalidKePayloadException;
import dev.vpngw.dataplane.ike.error.InvalidSyntaxException;
import dev.vpngw.dataplane.ike.message.IkeMessage;
import dev.vpngw.dataplane.ike.message.IkePayload;
import dev.vpngw.dataplane.ike.message.KePayload;
import dev.vpngw.dataplane.ike.message.NoncePayload;
import dev.vpngw.dataplane.ike.message.Proposal;
import dev.vpngw.dataplane.ike.message.SaPayload;
import dev.vpngw.dataplane.ike.message.TrafficSelector;
import dev.vpngw.dataplane.ike.message.TsPayload;
import dev.vpngw.dataplane.ike.proposal.ChildProposal;
import dev.vpngw.dataplane.ike.proposal.ChildSuite;
import dev.vpngw.dataplane.ike.proposal.ProposalSelector;
import java.util.ArrayList;
import java.util.List;

/**
 * The child SA part shared by IKE_AUTH, CREATE_CHILD_SA and child rekeying (strongSwan's
 * child_create task): SA/TS payloads, optional PFS key exchange and KEYMAT derivation.
 */
final class ChildNegotiation {
  final IkeSa sa;
  final boolean inIkeAuth;
  final int inboundSpi;
  byte[] nonce;
  KeyExchange ke;
  List<ChildProposal> offered;
  List<TrafficSelector> tsi;
  List<TrafficSelector> tsr;
  /** Which of the connection's selector pairs this child is for (initiator side). */
  int pair;
  /** The group the responder asked for with INVALID_KE_PAYLOAD. */
  DhGroup keGroupOverride;

  /**
   * Handles INVALID_KE_PAYLOAD on CREATE_CHILD_SA: true when the wanted group is one we offered, so
   * the request can be rebuilt with a KE of that group.
   */
  boolean acceptInvalidKe(IkeMessage r) {
    var n = r.notify(dev.vpngw.dataplane.ike.message.NotifyType.INVALID_KE_PAYLOAD);
    if (n.isEmpty() || n.get().data().length < 2 || keGroupOverride != null) {
      return false;
    }
    DhGroup g = DhGroup.byId(((n.get().data()[0] & 0xff) << 8) | (n.get().data()[1] & 0xff));
    if (g == null || offered.stream().noneMatch(p -> p.pfsGroup() == g)) {
      return false;
    }
    keGroupOverride = g;
    // Offer the proposals with that group first, so the KE matches the first proposal.
    List<ChildProposal> reordered = new ArrayList<>(offered.stream().filter(p -> p.pfsGroup() == g).toList());
    offered.stream().filter(p -> p.pfsGroup() != g).forEach(reordered::add);
    offered = reordered;
    return true;
  }

  ChildNegotiation(IkeSa sa, boolean inIkeAuth) {
    this.sa = sa;
    this.inIkeAuth = inIkeAuth;
    this.inboundSpi = sa.host.newChildSpi();
  }

  /**
   * Initiator payloads: SA, [Ni, KEi], TSi, TSr for selector pair {@code pair}. {@code preferred}
   * goes first (rekeys keep the suite).
   */
  List<IkePayload> buildRequest(ChildSuite preferred, int pair, List<TrafficSelector> localTs,
      List<TrafficSelector> remoteTs) {
    this.pair = pair;
    offered = new ArrayList<>();
    if (preferred != null) {
      // A child from IKE_AUTH had no KE; its rekey uses the configured PFS group of that proposal.
      ChildProposal same = sa.conn.childPolicy().initiatorProposals().stream()
          .filter(p -> p.encryption() == preferred.encryption() && p.keyBits() == preferred.keyBits()
              && p.integrity() == preferred.integrity())
          .findFirst()
          .orElse(new ChildProposal(preferred.encryption(), preferred.keyBits(), preferred.integrity(), preferred.pfsGroup()));
      offered.add(same);
    }
    sa.conn.childPolicy().initiatorProposals().stream().filter(p -> p.espTransform().isPresent())
        .filter(p -> !offered.contains(p)).forEach(offered::add);
    tsi = localTs;
    tsr = remoteTs;
    return rebuild();
  }

  /** The request payloads for the current offer (again after INVALID_KE_PAYLOAD). */
  List<IkePayload> rebuild() {
    List<Proposal> wire = new ArrayList<>();
    for (int i = 0; i < offered.size(); i++) {
      wire.add(offered.get(i).toWire(i + 1, inboundSpi, !inIkeAuth, sa.conn.childPolicy().esnOffer()));
    }
    List<IkePayload> p = new ArrayList<>();
    p.add(new SaPayload(wire));
    if (!inIkeAuth) {
      if (nonce == null) {
        nonce = sa.host.nonces().nonce(IkeSa.NONCE_LENGTH);
      }
      p.add(new NoncePayload(nonce));
      DhGroup pfs = keGroupOverride != null ? keGroupOverride : offered.getFirst().pfsGroup();
      if (pfs != null) {
        ke = sa.host.keyExchanges().create(pfs);
        p.add(new KePayload(pfs.id(), ke.publicValue()));
      }
    }
    p.add(new TsPayload(true, tsi));
    p.add(new TsPayload(false, tsr));
    return p;
  }

  /** Initiator: processes the responder's SA/TS/[Nr/KEr] and installs the child SA. */
  ChildSa processResponse(IkeMessage r) throws IkeProtocolException {
    SaPayload sap = r.first(SaPayload.class).orElseThrow(() -> new InvalidSyntaxException("response without SA"));
    if (sap.proposals().size() != 1) {
      throw new InvalidSyntaxException("responder returned " + sap.proposals().size() + " ESP proposals");
    }
    KePayload kep = r.first(KePayload.class).orElse(null);
    var sel = ProposalSelector.selectChild(offered, sap.proposals(), !inIkeAuth, kep == null ? -1 : kep.dhGroup());
    List<TrafficSelector> rTsi = r.ts(true).orElseThrow(() -> new InvalidSyntaxException("response without TSi")).selectors();
    List<TrafficSelector> rTsr = r.ts(false).orElseThrow(() -> new InvalidSyntaxException("response without TSr")).selectors();
    TrafficSelectors.checkSubset(rTsi, tsi, "TSi");
    TrafficSelectors.checkSubset(rTsr, tsr, "TSr");
    byte[] ni = inIkeAuth ? sa.ni : nonce;
    byte[] nr = inIkeAuth ? sa.nr
        : r.first(NoncePayload.class).orElseThrow(() -> new InvalidSyntaxException("response without Nr")).nonce();
    byte[] shared = null;
    if (sel.suite().pfsGroup() != null) {
      if (kep == null || ke == null || kep.dhGroup() != ke.group().id()) {
        throw new InvalidSyntaxException("PFS chosen but KE missing or of another group");
      }
      shared = sharedSecret(ke, kep);
    }
    ChildKeys keys = ChildKeys.derive(sa.suite.prf(), sa.keys.skD(), shared, ni, nr, sel.suite().encKeymatBytes(),
        sel.suite().integKeyBytes());
    ChildSa c = sa.installChild(sel.suite(), inboundSpi, sel.peerSpi(), keys, true, rTsi, rTsr, true);
    c.pair = pair;
    return c;
  }

  record Responded(List<IkePayload> payloads, ChildSa child) {}

  /**
   * Responder: select, narrow, derive, install. {@code activateOutbound} is false for rekeys (the
   * initiator switches first and deletes the old SA; we follow when its Delete arrives).
   *
   * @param rekeyed the child a rekey replaces (its selector pair is tried first), or null
   */
  static Responded respond(IkeSa sa, IkeMessage req, boolean inIkeAuth, boolean activateOutbound, ChildSa rekeyed)
      throws IkeProtocolException {
    SaPayload sap = req.first(SaPayload.class).orElseThrow(() -> new InvalidSyntaxException("request without SA"));
    List<TrafficSelector> pTsi = req.ts(true).orElseThrow(() -> new InvalidSyntaxException("request without TSi")).selectors();
    List<TrafficSelector> pTsr = req.ts(false).orElseThrow(() -> new InvalidSyntaxException("request without TSr")).selectors();
    KePayload kep = req.first(KePayload.class).orElse(null);
    var sel = ProposalSelector.selectChild(sa.conn.childPolicy().responderProposals(), sap.proposals(), !inIkeAuth,
        kep == null ? -1 : kep.dhGroup(), sa.conn.childPolicy().preferEsn());
    TrafficSelectors.Narrowed narrowed = TrafficSelectors.narrowToPair(sa, pTsi, pTsr, rekeyed);
    List<TrafficSelector> tsi = narrowed.tsi();
    List<TrafficSelector> tsr = narrowed.tsr();
    byte[] ni;
    byte[] nr;
    List<IkePayload> out = new ArrayList<>();
    ChildNegotiation n = new ChildNegotiation(sa, inIkeAuth);
    out.add(new SaPayload(List.of(sel.responseProposal(n.inboundSpi))));
    byte[] shared = null;
    if (inIkeAuth) {
      ni = sa.ni;
      nr = sa.nr;
    } else {
      ni = req.first(NoncePayload.class).orElseThrow(() -> new InvalidSyntaxException("request without Ni")).nonce();
      nr = sa.host.nonces().nonce(IkeSa.NONCE_LENGTH);
      n.nonce = nr;
      out.add(new NoncePayload(nr));
      DhGroup pfs = sel.suite().pfsGroup();
      if (pfs != null) {
        if (kep == null || kep.dhGroup() != pfs.id()) {
          throw new InvalidKePayloadException(pfs.id());
        }
        KeyExchange ke = sa.host.keyExchanges().create(pfs);
        shared = sharedSecret(ke, kep);
        out.add(new KePayload(pfs.id(), ke.publicValue()));
      }
    }
    out.add(new TsPayload(true, tsi));
    out.add(new TsPayload(false, tsr));
    ChildKeys keys = ChildKeys.derive(sa.suite.prf(), sa.keys.skD(), shared, ni, nr, sel.suite().encKeymatBytes(),
        sel.suite().integKeyBytes());
    ChildSa c = sa.installChild(sel.suite(), n.inboundSpi, sel.peerSpi(), keys, false, tsr, tsi, activateOutbound);
    c.pair = narrowed.pair();
    c.rekeyNonce = null;
    return new Responded(out, c);
  }

  static byte[] sharedSecret(KeyExchange ke, KePayload kep) throws InvalidSyntaxException {
    try {
      return ke.sharedSecret(kep.data());
    } catch (IllegalArgumentException e) {
      throw new InvalidSyntaxException(e.getMessage());
    }
  }
}
