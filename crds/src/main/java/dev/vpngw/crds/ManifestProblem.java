package dev.vpngw.crds;

/**
 * Why one YAML document could not be loaded.
 *
 * @param source the file (or other source name) the document came from
 * @param document 1-based index of the document within the source ("---" separated)
 * @param line 1-based line where the document starts
 * @param message what is wrong, naming the field where one is known
 */
public record ManifestProblem(String source, int document, int line, String message) {
  @Override
  public String toString() {
    return source + " document " + document + " (line " + line + "): " + message;
  }
}
