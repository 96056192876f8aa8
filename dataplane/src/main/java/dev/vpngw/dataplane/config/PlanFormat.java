package dev.vpngw.dataplane.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

/** Renders a plan as YAML or JSON for users ({@code vpngw plan}) and golden tests; PSKs show as {@value Psk#MASK}. */
public final class PlanFormat {
  private PlanFormat() {}

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .disable(YAMLGenerator.Feature.USE_NATIVE_TYPE_ID))
      .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);
  private static final ObjectMapper JSON = new ObjectMapper()
      .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL)
      .enable(SerializationFeature.INDENT_OUTPUT);

  public static String yaml(Object plan) {
    try {
      return YAML.writeValueAsString(plan);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render plan", e);
    }
  }

  public static String json(Object plan) {
    try {
      return JSON.writeValueAsString(plan) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render plan", e);
    }
  }
}
