package dev.vpngw.crds.v1alpha1;

/** IPsec (phase 2) perfect-forward-secrecy group, Azure's names: PFS1 = MODP768, PFS2 = MODP1024, PFS14 = PFS2048 = MODP2048, ECP256, ECP384, PFS24 = MODP2048/256, PFSMM = same group as IKE, None = no PFS. */
public enum PfsGroup {
  None, PFS1, PFS2, PFS2048, PFS14, PFS24, ECP256, ECP384, PFSMM
}
