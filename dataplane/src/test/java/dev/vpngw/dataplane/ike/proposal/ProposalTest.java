package dev.vpngw.dataplane.ike.proposal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vpngw.dataplane.esp.EspTransform;
import dev.vpngw.dataplane.ike.crypto.DhGroup;
import dev.vpngw.dataplane.ike.crypto.EncryptionAlgorithm;
import dev.vpngw.dataplane.ike.crypto.IntegrityAlgorithm;
import dev.vpngw.dataplane.ike.crypto.PrfAlgorithm;
import dev.vpngw.dataplane.ike.error.NoProposalChosenException;
import dev.vpngw.dataplane.ike.message.Proposal;
import dev.vpngw.dataplane.ike.message.Transform;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProposalTest {

  @Test
  void azureDefaultsMatchTheReferenceDocument() {
    IkePolicy ike = AzureDefaults.ikePolicy();
    assertThat(ike.proposals()).extracting(Object::toString).containsExactly(
        "aes256-sha1-prfsha1-modp1024-modp2048-ecp256-ecp384",
        "aes256-sha256-prfsha256-modp1024-modp2048-ecp256-ecp384",
        "aes128-sha1-prfsha1-modp1024-modp2048-ecp256-ecp384",
        "aes128-sha256-prfsha256-modp1024-modp2048-ecp256-ecp384",
        "3des-sha1-prfsha1-modp1024-modp2048-ecp256-ecp384",
        "3des-sha256-prfsha256-modp1024-modp2048-ecp256-ecp384");
    assertThat(ike.lifetime().toSeconds()).isEqualTo(28_800);
    assertThat(AzureDefaults.childInitiatorProposals()).extracting(Object::toString).containsExactly(
        "aes256gcm16", "aes256-sha1", "3des-sha1", "aes256-sha256", "aes128-sha1", "3des-sha256");
    assertThat(AzureDefaults.childResponderProposals()).hasSize(26).doesNotHaveDuplicates()
        .allSatisfy(p -> assertThat(p.espTransform()).isPresent());
    assertThat(AzureDefaults.childPolicy().lifetime().toSeconds()).isEqualTo(27_000);
  }

  @Test
  void azurePolicyVocabularyMapsToTransforms() {
    var p = new AzureIpsecPolicy(27000, 102400000, "GCMAES256", "GCMAES256", "AES256", "SHA384", "DHGroup24", "PFSMM");
    IkeProposal ike = p.toIkePolicy().proposals().getFirst();
    assertThat(ike.encryption()).isEqualTo(EncryptionAlgorithm.AES_CBC);
    assertThat(ike.keyBits()).isEqualTo(256);
    assertThat(ike.prf()).isEqualTo(PrfAlgorithm.HMAC_SHA2_384);
    assertThat(ike.integrity()).isEqualTo(IntegrityAlgorithm.HMAC_SHA2_384_192);
    assertThat(ike.dhGroups()).containsExactly(DhGroup.MODP_2048_256);
    ChildProposal esp = p.toChildPolicy().initiatorProposals().getFirst();
    assertThat(esp.espTransform()).contains(EspTransform.AES_GCM_16_256);
    assertThat(esp.pfsGroup()).as("PFSMM reuses the IKE group").isEqualTo(DhGroup.MODP_2048_256);

    var q = new AzureIpsecPolicy(3600, 0, "DES3", "SHA1", "GCMAES128", "GCMAES128", "DHGroup2048", "PFS2048");
    assertThat(q.toIkePolicy().proposals().getFirst().toString()).isEqualTo("aes128gcm16-prfsha256-modp2048");
    assertThat(q.toChildPolicy().initiatorProposals().getFirst().toString()).isEqualTo("3des-sha1-modp2048");
  }

  @Test
  void badPolicyValuesNameTheField() {
    assertThatThrownBy(() -> new AzureIpsecPolicy(3600, 0, "AES256", "SHA256", "AES512", "SHA256", "DHGroup14", "None").toIkePolicy())
        .hasMessageContaining("ikeEncryption").hasMessageContaining("AES512");
    assertThatThrownBy(() -> new AzureIpsecPolicy(3600, 0, "GCMAES256", "SHA256", "AES256", "SHA256", "DHGroup14", "None").toChildPolicy())
        .hasMessageContaining("ipsecEncryption GCMAES256 requires ipsecIntegrity GCMAES256");
    assertThatThrownBy(() -> new AzureIpsecPolicy(3600, 0, "AES256", "SHA256", "AES256", "SHA256", "None", "None").toIkePolicy())
        .hasMessageContaining("dhGroup");
    assertThatThrownBy(() -> new AzureIpsecPolicy(100, 0, "AES256", "SHA256", "AES256", "SHA256", "DHGroup14", "None").toChildPolicy())
        .hasMessageContaining("saLifeTimeSeconds");
    assertThatThrownBy(() -> new AzureIpsecPolicy(3600, 0, "AES256", "", "AES256", "SHA256", "DHGroup14", "None").toChildPolicy())
        .hasMessageContaining("ipsecIntegrity is required");
  }

  @Test
  void responderPrefersOurOrderAndThePeersKeGroup() throws Exception {
    List<Proposal> theirs = List.of(
        new IkeProposal(EncryptionAlgorithm.AES_CBC, 128, IntegrityAlgorithm.HMAC_SHA1_96, PrfAlgorithm.HMAC_SHA1,
            List.of(DhGroup.ECP_256, DhGroup.MODP_2048)).toWire(1, new byte[0]),
        new IkeProposal(EncryptionAlgorithm.AES_CBC, 256, IntegrityAlgorithm.HMAC_SHA2_256_128, PrfAlgorithm.HMAC_SHA2_256,
            List.of(DhGroup.ECP_256, DhGroup.MODP_2048)).toWire(2, new byte[0]));
    var sel = ProposalSelector.selectIke(AzureDefaults.ikePolicy().proposals(), theirs, 19);
    assertThat(sel.suite().toString()).isEqualTo("aes256-sha256-prfsha256-ecp256");
    assertThat(sel.peerProposal().number()).isEqualTo(2);
    assertThat(sel.responseProposal(new byte[0]).number()).isEqualTo(2);
    var noKe = ProposalSelector.selectIke(AzureDefaults.ikePolicy().proposals(), theirs, -1);
    assertThat(noKe.suite().dhGroup()).as("our group order when the KE does not decide").isEqualTo(DhGroup.MODP_2048);
  }

  @Test
  void keyLengthMismatchAndUnknownAttributesDoNotMatch() {
    Proposal aes128Only = new Proposal(1, Proposal.PROTO_IKE, new byte[0], List.of(
        Transform.of(Transform.ENCR, 12, 128), new Transform(Transform.PRF, 2, 0, false),
        Transform.of(Transform.INTEG, 2), Transform.of(Transform.DH, 2)));
    var ours = List.of(new IkeProposal(EncryptionAlgorithm.AES_CBC, 256, IntegrityAlgorithm.HMAC_SHA1_96,
        PrfAlgorithm.HMAC_SHA1, List.of(DhGroup.MODP_1024)));
    assertThatThrownBy(() -> ProposalSelector.selectIke(ours, List.of(aes128Only), 2)).isInstanceOf(NoProposalChosenException.class);
    Proposal weird = new Proposal(1, Proposal.PROTO_IKE, new byte[0], List.of(
        new Transform(Transform.ENCR, 12, 256, true), Transform.of(Transform.PRF, 2), Transform.of(Transform.INTEG, 2),
        Transform.of(Transform.DH, 2)));
    assertThatThrownBy(() -> ProposalSelector.selectIke(ours, List.of(weird), 2)).isInstanceOf(NoProposalChosenException.class);
  }

  @Test
  void childSelectionHandlesPfsOnlyOutsideIkeAuth() throws Exception {
    ChildProposal pfs = new ChildProposal(EncryptionAlgorithm.AES_GCM_16, 256, IntegrityAlgorithm.NONE, DhGroup.ECP_256);
    Proposal theirsWithKe = pfs.toWire(1, 0x1000, true);
    Proposal theirsNoKe = pfs.toWire(1, 0x1000, false);
    var inAuth = ProposalSelector.selectChild(List.of(pfs), List.of(theirsNoKe), false, -1);
    assertThat(inAuth.suite().pfsGroup()).isNull();
    assertThat(inAuth.peerSpi()).isEqualTo(0x1000);
    var rekey = ProposalSelector.selectChild(List.of(pfs), List.of(theirsWithKe), true, 19);
    assertThat(rekey.suite().pfsGroup()).isEqualTo(DhGroup.ECP_256);
    assertThatThrownBy(() -> ProposalSelector.selectChild(List.of(pfs), List.of(theirsNoKe), true, -1))
        .isInstanceOf(NoProposalChosenException.class);
  }

  @Test
  void esnIsTakenWhenThePeerOffersOnlyEsnOrWeOrItPreferIt() throws Exception {
    ChildProposal gcm = new ChildProposal(EncryptionAlgorithm.AES_GCM_16, 256, IntegrityAlgorithm.NONE, null);
    Proposal onlyEsn = gcm.toWire(1, 0x1000, false, List.of(true));
    Proposal both = gcm.toWire(1, 0x1000, false, List.of(false, true));
    Proposal noEsn = gcm.toWire(1, 0x1000, false, List.of(false));
    // strongSwan "aes256gcm16-esn": ESN only, accepted (RFC 4304) and echoed as the one ESN transform.
    var esn = ProposalSelector.selectChild(List.of(gcm), List.of(onlyEsn), false, -1);
    assertThat(esn.suite().esn()).isTrue();
    assertThat(esn.suite().toString()).isEqualTo("aes256gcm16/esn");
    assertThat(esn.responseProposal(0x2000).transforms().stream().filter(t -> t.type() == Transform.ESN)
        .map(Transform::id).toList()).containsExactly(1);
    // Both offered: our default preference is no ESN, unless the policy prefers it.
    assertThat(ProposalSelector.selectChild(List.of(gcm), List.of(both), false, -1).suite().esn()).isFalse();
    assertThat(ProposalSelector.selectChild(List.of(gcm), List.of(both), false, -1, true).suite().esn()).isTrue();
    assertThat(ProposalSelector.selectChild(List.of(gcm), List.of(noEsn), false, -1, true).suite().esn()).isFalse();
    // Our offer carries both values, the preferred one first.
    var policy = ChildPolicy.of(List.of(gcm), java.time.Duration.ofHours(1), 0);
    assertThat(policy.esnOffer()).containsExactly(false, true);
    assertThat(policy.withPreferEsn(true).esnOffer()).containsExactly(true, false);
  }

  @Test
  void weakAlgorithmsAreNamed() {
    var s = new dev.vpngw.dataplane.ike.crypto.IkeSuite(EncryptionAlgorithm.DES3, 0, PrfAlgorithm.HMAC_SHA1,
        IntegrityAlgorithm.HMAC_SHA1_96, DhGroup.MODP_1024);
    assertThat(WeakAlgorithms.of(s)).containsExactly("encryption 3DES", "integrity HMAC-SHA1-96", "PRF HMAC-SHA1",
        "DH group 2 (MODP_1024)");
    var strong = new dev.vpngw.dataplane.ike.crypto.IkeSuite(EncryptionAlgorithm.AES_GCM_16, 256,
        PrfAlgorithm.HMAC_SHA2_256, IntegrityAlgorithm.NONE, DhGroup.ECP_384);
    assertThat(WeakAlgorithms.of(strong)).isEmpty();
  }
}
