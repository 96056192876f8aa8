package dev.vpngw.crds.v1alpha1;

/** IPsec (Quick Mode / phase 2, ESP) integrity, Azure's names. GCMAES* only together with the same GCMAES* ipsecEncryption. */
public enum IpsecIntegrity {
  MD5, SHA1, SHA256, GCMAES128, GCMAES192, GCMAES256
}
