package dev.vpngw.operator.reconcile;

import dev.vpngw.operator.desired.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Who is active. Active-active: both instances. Active-standby: the pod labelled
 * {@code vpngw.dev/role=active} stays active while it is ready; when it stops being ready (probe
 * failure, eviction, node loss) or disappears, the ready standby is relabelled active, which moves
 * the public Service to it and tells its data plane (through the downward-API labels file) to
 * bring up the tunnels. The time from the operator first seeing the loss to the relabel is the
 * measured takeover time.
 */
final class Takeover {
  private Takeover() {}

  /**
   * The outcome of one decision.
   *
   * @param roles desired role label per present instance
   * @param lostSince when the active instance was first seen lost, if no one serves yet
   * @param event a takeover that happened in this decision
   */
  record Decision(Map<Integer, String> roles, Optional<Instant> lostSince, Optional<Event> event) {}

  /** Instance {@code to} took over from {@code from}; {@code took} runs from the loss being seen to the relabel. */
  record Event(int from, int to, Duration took, Instant lostAt) {}

  /**
   * Decides roles from the pods. {@code lastActive} is the instance this operator last made or saw
   * active (it survives the pod's deletion, which takes the label with it); {@code lostSince} is
   * carried from the previous decision.
   */
  static Decision decide(boolean activeActive, Map<Integer, PodView> pods, Optional<Integer> lastActive,
      Optional<Instant> lostSince, Instant now) {
    var roles = new TreeMap<Integer, String>();
    if (activeActive) {
      pods.keySet().forEach(i -> roles.put(i, Labels.ROLE_ACTIVE));
      return new Decision(roles, Optional.empty(), Optional.empty());
    }
    Optional<PodView> current = pods.values().stream().filter(PodView::labelledActive).filter(PodView::serving)
        .sorted(java.util.Comparator.comparingInt(PodView::instance)).findFirst();
    if (current.isPresent()) {
      pods.keySet().forEach(i -> roles.put(i, i == current.get().instance() ? Labels.ROLE_ACTIVE : Labels.ROLE_STANDBY));
      return new Decision(roles, Optional.empty(), Optional.empty());
    }
    Optional<PodView> previous = pods.values().stream().filter(PodView::labelledActive)
        .sorted(java.util.Comparator.comparingInt(PodView::instance)).findFirst();
    boolean hadActive = previous.isPresent() || lostSince.isPresent() || lastActive.isPresent();
    Instant lost = lostSince.orElse(now);
    // Prefer instance 0 when nobody has been active yet (first start), otherwise any ready one.
    Optional<PodView> candidate = pods.values().stream().filter(PodView::serving)
        .sorted(java.util.Comparator.comparingInt(PodView::instance)).findFirst();
    if (candidate.isEmpty()) {
      pods.forEach((i, p) -> roles.put(i, p.labelledActive() ? Labels.ROLE_ACTIVE : Labels.ROLE_STANDBY));
      return new Decision(roles, hadActive ? Optional.of(lost) : Optional.empty(), Optional.empty());
    }
    int to = candidate.get().instance();
    pods.keySet().forEach(i -> roles.put(i, i == to ? Labels.ROLE_ACTIVE : Labels.ROLE_STANDBY));
    Optional<Event> event = hadActive
        ? Optional.of(new Event(previous.map(PodView::instance).or(() -> lastActive).orElse(1 - to), to, Duration.between(lost, now), lost))
        : Optional.empty();
    return new Decision(roles, Optional.empty(), event);
  }
}
