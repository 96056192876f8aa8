package dev.vpngw.dataplane.ike.proposal;

import dev.vpngw.dataplane.ike.crypto.DhGroup;
import dev.vpngw.dataplane.ike.crypto.EncryptionAlgorithm;
import dev.vpngw.dataplane.ike.crypto.IkeSuite;
import dev.vpngw.dataplane.ike.crypto.IntegrityAlgorithm;
import dev.vpngw.dataplane.ike.error.NoProposalChosenException;
import dev.vpngw.dataplane.ike.message.Proposal;
import dev.vpngw.dataplane.ike.message.Transform;
import java.util.List;
import java.util.Optional;

/**
 * Responder-side proposal selection (RFC 7296 §2.7): walk OUR proposals in our preference order and
 * take the first one a peer proposal fully contains. Transforms with attributes we do not know are
 * skipped, as the RFC demands. The chosen proposal is echoed with the peer's proposal number.
 */
public final class ProposalSelector {
  private ProposalSelector() {}

  /** @param peerKeGroup the group of the peer's KE payload, preferred among equals (-1 if none) */
  public record IkeSelection(IkeSuite suite, Proposal peerProposal) {
    public Proposal responseProposal(byte[] spi) {
      IkeProposal p = new IkeProposal(suite.encryption(), suite.encryptionKeyBits(), suite.integrity(), suite.prf(),
          List.of(suite.dhGroup()));
      Proposal w = p.toWire(peerProposal.number(), spi);
      return w;
    }
  }

  public record ChildSelection(ChildSuite suite, Proposal peerProposal) {
    public int peerSpi() {
      return peerProposal.spiAsInt();
    }

    public Proposal responseProposal(int ourSpi) {
      ChildProposal p = new ChildProposal(suite.encryption(), suite.keyBits(), suite.integrity(), suite.pfsGroup());
      return p.toWire(peerProposal.number(), ourSpi, suite.pfsGroup() != null, List.of(suite.esn()));
    }
  }

  public static IkeSelection selectIke(List<IkeProposal> ours, List<Proposal> theirs, int peerKeGroup)
      throws NoProposalChosenException {
    for (IkeProposal o : ours) {
      for (Proposal t : theirs) {
        if (t.protocolId() != Proposal.PROTO_IKE) {
          continue;
        }
        if (!hasEncr(t, o.encryption(), o.keyBits()) || !has(t, Transform.PRF, o.prf().id())
            || !integrityMatches(t, o.integrity())) {
          continue;
        }
        Optional<DhGroup> g = pickGroup(o.dhGroups(), t, peerKeGroup);
        if (g.isPresent()) {
          return new IkeSelection(new IkeSuite(o.encryption(), o.keyBits(), o.prf(), o.integrity(), g.get()), t);
        }
      }
    }
    throw new NoProposalChosenException("no IKE proposal of the peer matches ours: " + ours);
  }

  /**
   * @param withKe false in IKE_AUTH, where DH transforms are ignored (RFC 7296 §1.2)
   */
  public static ChildSelection selectChild(List<ChildProposal> ours, List<Proposal> theirs, boolean withKe,
      int peerKeGroup) throws NoProposalChosenException {
    return selectChild(ours, theirs, withKe, peerKeGroup, false);
  }

  /** @param preferEsn take ESN when the peer offers both values (otherwise only when it offers nothing else) */
  public static ChildSelection selectChild(List<ChildProposal> ours, List<Proposal> theirs, boolean withKe,
      int peerKeGroup, boolean preferEsn) throws NoProposalChosenException {
    for (ChildProposal o : ours) {
      var esp = o.espTransform();
      if (esp.isEmpty()) {
        continue;
      }
      for (Proposal t : theirs) {
        if (t.protocolId() != Proposal.PROTO_ESP || t.spi().length != 4) {
          continue;
        }
        Boolean esn = pickEsn(t, preferEsn);
        if (!hasEncr(t, o.encryption(), o.keyBits()) || !integrityMatches(t, o.integrity()) || esn == null) {
          continue;
        }
        DhGroup pfs = null;
        if (withKe) {
          List<Transform> dh = usable(t, Transform.DH);
          boolean peerWantsPfs = dh.stream().anyMatch(x -> x.id() != 0);
          if (o.pfsGroup() == null) {
            if (peerWantsPfs && dh.stream().noneMatch(x -> x.id() == 0)) {
              continue;
            }
          } else {
            if (!has(t, Transform.DH, o.pfsGroup().id())) {
              continue;
            }
            pfs = o.pfsGroup();
          }
        }
        return new ChildSelection(new ChildSuite(o.encryption(), o.keyBits(), o.integrity(), pfs, esp.get(), esn), t);
      }
    }
    throw new NoProposalChosenException("no ESP proposal of the peer matches ours: " + ours);
  }

  private static List<Transform> usable(Proposal p, int type) {
    return p.transforms().stream().filter(t -> t.type() == type && !t.unknownAttribute()).toList();
  }

  private static boolean has(Proposal p, int type, int id) {
    return usable(p, type).stream().anyMatch(t -> t.id() == id);
  }

  private static boolean hasEncr(Proposal p, EncryptionAlgorithm e, int bits) {
    return usable(p, Transform.ENCR).stream()
        .anyMatch(t -> t.id() == e.id() && (e.variableKey() ? t.keyLength() == bits : t.keyLength() == 0 || t.keyLength() == bits));
  }

  private static boolean integrityMatches(Proposal p, IntegrityAlgorithm i) {
    List<Transform> integ = usable(p, Transform.INTEG);
    if (i == IntegrityAlgorithm.NONE) {
      return integ.isEmpty() || integ.stream().anyMatch(t -> t.id() == 0);
    }
    return integ.stream().anyMatch(t -> t.id() == i.id());
  }

  /** The ESN value to take from {@code p}: null when it offers none we know (RFC 4304 §2). */
  private static Boolean pickEsn(Proposal p, boolean preferEsn) {
    List<Transform> esn = usable(p, Transform.ESN);
    boolean no = esn.isEmpty() || esn.stream().anyMatch(t -> t.id() == 0);
    boolean yes = esn.stream().anyMatch(t -> t.id() == 1);
    if (yes && (preferEsn || !no)) {
      return true;
    }
    return no ? Boolean.FALSE : null;
  }

  private static Optional<DhGroup> pickGroup(List<DhGroup> ours, Proposal t, int peerKeGroup) {
    List<DhGroup> common = ours.stream().filter(g -> has(t, Transform.DH, g.id())).toList();
    return common.stream().filter(g -> g.id() == peerKeGroup).findFirst().or(() -> common.stream().findFirst());
  }
}
