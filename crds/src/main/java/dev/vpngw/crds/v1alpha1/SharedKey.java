package dev.vpngw.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/**
 * The IPsec pre-shared key of a connection. Unlike Azure, where sharedKey is an inline string that
 * is generated when absent, the key always lives in a Secret and is never written into the
 * Connection itself.
 */
public record SharedKey(
    @Required
    @JsonPropertyDescription("The Secret key holding the pre-shared key (Azure: sharedKey). Printable ASCII; both ends of the tunnel must use the same key.")
    SecretKeySelector secretKeyRef) {}
