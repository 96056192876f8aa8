package dev.vpngw.crds.v1alpha1;

/** IKE (phase 1) Diffie-Hellman group, Azure's names: DHGroup1 = MODP768, DHGroup2 = MODP1024, DHGroup14 = DHGroup2048 = MODP2048, ECP256 = group 19, ECP384 = group 20, DHGroup24 = MODP2048/256. */
public enum DhGroup {
  None, DHGroup1, DHGroup2, DHGroup14, DHGroup2048, ECP256, ECP384, DHGroup24
}
