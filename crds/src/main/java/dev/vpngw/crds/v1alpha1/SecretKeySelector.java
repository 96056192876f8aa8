package dev.vpngw.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A key of a Secret in the same namespace as the referring resource. */
public record SecretKeySelector(
    @Required @Size(min = 1, max = 253) @Pattern(Patterns.OBJECT_NAME)
    @JsonPropertyDescription("Name of the Secret, in the same namespace as this resource.")
    String name,
    @Required @Size(min = 1, max = 253) @Pattern(Patterns.SECRET_KEY)
    @JsonPropertyDescription("Key within the Secret's data (or stringData) that holds the value.")
    String key) {}
