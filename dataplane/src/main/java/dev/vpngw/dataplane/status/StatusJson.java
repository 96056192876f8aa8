package dev.vpngw.dataplane.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** Reads and writes {@link InstanceStatus} as the admin endpoint serves it. */
public final class StatusJson {
  private StatusJson() {}

  private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(SerializationFeature.INDENT_OUTPUT);

  /** Parses a /status body; unknown fields (from a newer gateway) are ignored. */
  public static InstanceStatus read(String json) throws JsonProcessingException {
    return MAPPER.readValue(json, InstanceStatus.class);
  }

  public static String write(InstanceStatus status) {
    try {
      return MAPPER.writeValueAsString(status) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render status", e);
    }
  }
}
