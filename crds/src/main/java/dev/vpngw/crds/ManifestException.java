package dev.vpngw.crds;

import java.util.List;
import java.util.stream.Collectors;

/** Manifests that could not be loaded; lists every problem found, not just the first. */
public final class ManifestException extends Exception {
  private final transient List<ManifestProblem> problems;

  public ManifestException(List<ManifestProblem> problems) {
    super(problems.stream().map(ManifestProblem::toString).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  public List<ManifestProblem> problems() {
    return problems;
  }
}
