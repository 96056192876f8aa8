package dev.vpngw.dataplane.esp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReplayWindowTest {

  @Test
  void sequenceZeroIsNeverValid() {
    assertThat(new ReplayWindow(64, false).accept(0)).isFalse();
  }

  @Test
  void windowSlidesAndRemembers() {
    ReplayWindow w = new ReplayWindow(1024, false);
    assertThat(w.size()).isEqualTo(1024);
    for (long s = 1; s <= 3000; s += 2) {
      assertThat(w.accept(s)).isTrue();
    }
    assertThat(w.top()).isEqualTo(2999);
    assertThat(w.accept(2999)).isFalse();
    assertThat(w.accept(2998)).isTrue(); // even numbers never seen
    assertThat(w.accept(2998)).isFalse();
    assertThat(w.accept(2999 - 1022)).isFalse(); // odd: seen
    assertThat(w.accept(2999 - 1023)).isTrue(); // even, last slot inside the window
    assertThat(w.accept(2999 - 1024)).isFalse(); // outside window
    // A big jump clears everything behind it.
    assertThat(w.accept(10_000)).isTrue();
    assertThat(w.accept(10_000 - 1)).isTrue();
    assertThat(w.accept(10_000 - 1023)).isTrue();
    assertThat(w.accept(10_000 - 1024)).isFalse();
  }

  @Test
  void sizeIsRoundedToAPowerOfTwoOfAtLeast64() {
    assertThat(new ReplayWindow(1, false).size()).isEqualTo(64);
    assertThat(new ReplayWindow(100, false).size()).isEqualTo(128);
    assertThatThrownBy(() -> new ReplayWindow(-1, false)).hasMessageContaining("replay window");
  }

  @Test
  void disabledWindowAcceptsReplaysButTracksTop() {
    ReplayWindow w = new ReplayWindow(0, true);
    assertThat(w.accept(5)).isTrue();
    assertThat(w.accept(5)).isTrue();
    assertThat(w.top()).isEqualTo(5);
  }

  @Test
  void esnInferenceFollowsRfc4303AppendixA2() {
    ReplayWindow w = new ReplayWindow(64, true);
    // Epoch 0, top near the end of the low half.
    assertThat(w.accept(0xFFFFFFF0L)).isTrue();
    // A low half just after the wrap belongs to epoch 1.
    assertThat(w.infer(0x00000005)).isEqualTo((1L << 32) | 5);
    // A low half inside the window stays in epoch 0.
    assertThat(w.infer(0xFFFFFFE0)).isEqualTo(0xFFFFFFE0L);
    assertThat(w.accept((1L << 32) | 5)).isTrue();
    // Now top is 2^32+5 (Tl < W-1): a late packet of epoch 0 is inferred as epoch 0 …
    assertThat(w.infer(0xFFFFFFF8)).isEqualTo(0xFFFFFFF8L);
    assertThat(w.accept(0xFFFFFFF8L)).isTrue();
    assertThat(w.accept(0xFFFFFFF0L)).isFalse(); // … and replays of it are caught
    assertThat(w.infer(6)).isEqualTo((1L << 32) | 6);
  }
}
