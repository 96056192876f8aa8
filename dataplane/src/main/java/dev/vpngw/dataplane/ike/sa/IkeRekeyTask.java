package dev.vpngw.dataplane.ike.sa;

import dev.vpngw.dataplane.ike.IkeSaState;
import dev.vpngw.dataplane.ike.crypto.Bytes;
import dev.vpngw.dataplane.ike.crypto.DhGroup;
import dev.vpngw.dataplane.ike.crypto.IkeSaKeys;
import dev.vpngw.dataplane.ike.crypto.KeyExchange;
import dev.vpngw.dataplane.ike.error.IkeProtocolException;
import dev.vpngw.dataplane.ike.error.InvalidKePayloadException;
import dev.vpngw.dataplane.ike.error.InvalidSyntaxException;
import dev.vpngw.dataplane.ike.error.NoProposalChosenException;
import dev.vpngw.dataplane.ike.error.TemporaryFailureException;
import dev.vpngw.dataplane.ike.message.ExchangeType;
import dev.vpngw.dataplane.ike.message.IkeMessage;
import dev.vpngw.dataplane.ike.message.IkePayload;
import dev.vpngw.dataplane.ike.message.KePayload;
import dev.vpngw.dataplane.ike.message.NoncePayload;
import dev.vpngw.dataplane.ike.message.Proposal;
import dev.vpngw.dataplane.ike.message.SaPayload;
import dev.vpngw.dataplane.ike.proposal.IkeProposal;
import dev.vpngw.dataplane.ike.proposal.ProposalSelector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rekeys the IKE SA (RFC 7296 §2.18): CREATE_CHILD_SA with an IKE proposal carrying the new SPI,
 * a fresh key exchange; the new SA inherits the children, the old one is deleted. Simultaneous
 * rekeys (§2.8.2): the exchange with the lowest nonce loses and its initiator deletes the SA it
 * created; the winner's initiator deletes the old SA.
 */
final class IkeRekeyTask extends Task {
  private static final Logger log = LoggerFactory.getLogger(IkeRekeyTask.class);
  private long newSpi;
  private byte[] ni;
  private KeyExchange ke;
  private List<IkeProposal> offered;

  IkeRekeyTask(IkeSa sa) {
    super(sa);
  }

  @Override
  ExchangeType exchange() {
    return ExchangeType.CREATE_CHILD_SA;
  }

  @Override
  List<IkePayload> build() {
    if (sa.state != IkeSaState.ESTABLISHED || sa.superseded) {
      return null;
    }
    sa.state = IkeSaState.REKEYING;
    newSpi = sa.host.newIkeSpi();
    ni = sa.host.nonces().nonce(IkeSa.NONCE_LENGTH);
    sa.ikeRekeyNonce = ni;
    offered = new ArrayList<>();
    var s = sa.suite;
    offered.add(new IkeProposal(s.encryption(), s.encryptionKeyBits(), s.integrity(), s.prf(), List.of(s.dhGroup())));
    sa.conn.ikePolicy().proposals().stream().filter(p -> !offered.contains(p)).forEach(offered::add);
    DhGroup g = s.dhGroup();
    ke = sa.host.keyExchanges().create(g);
    List<IkePayload> p = new ArrayList<>();
    p.add(new SaPayload(IkeInitTask.offer(offered, g, Bytes.u64(newSpi))));
    p.add(new NoncePayload(ni));
    p.add(new KePayload(g.id(), ke.publicValue()));
    return p;
  }

  @Override
  Outcome process(IkeMessage r, byte[] raw) throws IkeProtocolException {
    var err = r.firstErrorNotify();
    if (err.isPresent()) {
      throw IkeProtocolException.fromNotify(err.get().notifyType(), err.get().data());
    }
    SaPayload sap = r.first(SaPayload.class).orElseThrow(() -> new InvalidSyntaxException("rekey response without SA"));
    KePayload kep = r.first(KePayload.class).orElseThrow(() -> new InvalidSyntaxException("rekey response without KE"));
    byte[] nr = r.first(NoncePayload.class).orElseThrow(() -> new InvalidSyntaxException("rekey response without Nr")).nonce();
    if (sap.proposals().size() != 1 || sap.proposals().getFirst().spi().length != 8) {
      throw new InvalidSyntaxException("rekey response needs one IKE proposal with an 8-byte SPI");
    }
    var sel = ProposalSelector.selectIke(offered, sap.proposals(), kep.dhGroup());
    if (kep.dhGroup() != ke.group().id()) {
      throw new InvalidSyntaxException("rekey response KE group " + kep.dhGroup() + " differs from ours");
    }
    long peerSpi = sap.proposals().getFirst().spiAsLong();
    IkeSaKeys keys = IkeSaKeys.deriveRekeyed(sa.keys, sel.suite(), ChildNegotiation.sharedSecret(ke, kep), ni, nr,
        newSpi, peerSpi);
    IkeSa fresh = IkeSa.fromRekey(sa, true, newSpi, peerSpi, sel.suite(), keys, false);
    IkeSa.Collision c = sa.ikeCollision;
    boolean weLose = c != null
        && Arrays.compareUnsigned(min(ni, nr), min(c.peerNonce(), c.ourNonce())) < 0;
    if (c != null) {
      log.info("{}: IKE rekey collision, we {}", sa.conn.name(), weLose ? "lose" : "win");
    }
    if (weLose) {
      // The peer's new SA survives and takes the children; ours goes, the peer deletes the old one.
      c.created().adoptChildrenFrom(sa);
      fresh.terminate();
      sa.supersededBy(c.created());
    } else {
      fresh.adoptChildrenFrom(sa);
      if (c != null) {
        c.created().markRedundant();
      }
      sa.supersededBy(fresh);
      sa.queueFirst(new IkeDeleteTask(sa));
    }
    return Outcome.DONE;
  }

  @Override
  void failed(String reason) {
    if (sa.state == IkeSaState.REKEYING) {
      sa.state = IkeSaState.ESTABLISHED;
    }
    sa.ikeRekeyNonce = null;
    sa.ikeCollision = null;
    if (++sa.ikeRekeyAttempts > ChildRekeyTask.MAX_ATTEMPTS) {
      return;
    }
    sa.retryLater(() -> {
      if (sa.state == IkeSaState.ESTABLISHED && !sa.superseded) {
        sa.queue(new IkeRekeyTask(sa));
      }
    });
  }

  private static byte[] min(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b) <= 0 ? a : b;
  }

  static List<IkePayload> respond(IkeSa sa, IkeMessage req) throws IkeProtocolException {
    if (sa.state != IkeSaState.ESTABLISHED && sa.state != IkeSaState.REKEYING) {
      throw new TemporaryFailureException("IKE SA is " + sa.state);
    }
    if (sa.superseded) {
      throw new TemporaryFailureException("IKE SA already rekeyed");
    }
    if (sa.childRekeyInProgress()) {
      // RFC 7296 §2.25: refuse an IKE rekey while we have a child SA exchange pending.
      throw new TemporaryFailureException("child SA rekey in progress");
    }
    SaPayload sap = req.first(SaPayload.class).orElseThrow(() -> new InvalidSyntaxException("rekey without SA"));
    KePayload kep = req.first(KePayload.class).orElseThrow(() -> new InvalidSyntaxException("rekey without KE"));
    byte[] ni = req.first(NoncePayload.class).orElseThrow(() -> new InvalidSyntaxException("rekey without Ni")).nonce();
    var sel = ProposalSelector.selectIke(sa.conn.ikePolicy().proposals(), sap.proposals(), kep.dhGroup());
    Proposal chosen = sel.peerProposal();
    if (chosen.spi().length != 8) {
      throw new NoProposalChosenException("IKE rekey proposal without an 8-byte SPI");
    }
    if (kep.dhGroup() != sel.suite().dhGroup().id()) {
      throw new InvalidKePayloadException(sel.suite().dhGroup().id());
    }
    KeyExchange ke = sa.host.keyExchanges().create(sel.suite().dhGroup());
    byte[] shared = ChildNegotiation.sharedSecret(ke, kep);
    byte[] nr = sa.host.nonces().nonce(IkeSa.NONCE_LENGTH);
    long ourSpi = sa.host.newIkeSpi();
    long peerSpi = chosen.spiAsLong();
    IkeSaKeys keys = IkeSaKeys.deriveRekeyed(sa.keys, sel.suite(), shared, ni, nr, peerSpi, ourSpi);
    boolean collision = sa.state == IkeSaState.REKEYING && sa.ikeRekeyNonce != null;
    IkeSa fresh = IkeSa.fromRekey(sa, false, peerSpi, ourSpi, sel.suite(), keys, false);
    if (collision) {
      sa.ikeCollision = new IkeSa.Collision(ni, nr, fresh);
    } else {
      fresh.adoptChildrenFrom(sa);
      sa.supersededBy(fresh);
    }
    List<IkePayload> out = new ArrayList<>();
    out.add(new SaPayload(List.of(sel.responseProposal(Bytes.u64(ourSpi)))));
    out.add(new NoncePayload(nr));
    out.add(new KePayload(sel.suite().dhGroup().id(), ke.publicValue()));
    return out;
  }
}
