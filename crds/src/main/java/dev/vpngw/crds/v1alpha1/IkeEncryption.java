package dev.vpngw.crds.v1alpha1;

/** IKE (Main Mode / phase 1) encryption, Azure's names. */
public enum IkeEncryption {
  DES, DES3, AES128, AES192, AES256, GCMAES128, GCMAES256
}
