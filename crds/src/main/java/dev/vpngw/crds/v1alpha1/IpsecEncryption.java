package dev.vpngw.crds.v1alpha1;

/** IPsec (Quick Mode / phase 2, ESP) encryption, Azure's names. */
public enum IpsecEncryption {
  None, DES, DES3, AES128, AES192, AES256, GCMAES128, GCMAES192, GCMAES256
}
