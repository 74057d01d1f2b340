package dk.sdu.cloud.im.harness.core.outbox;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutboxSettingsTest {

    @Test
    void theDefaultsAreAHundredPerCallAndABackOffOfOneSecondToAMinute() {
        assertThat(OutboxSettings.DEFAULTS).isEqualTo(
                new OutboxSettings(100, Duration.ofSeconds(1), Duration.ofMinutes(1)));
        assertThat(OutboxSettings.DEFAULTS.withMaxBatch(1000).maxBatch()).isEqualTo(1000);
    }

    @Test
    void aBatchSizeOutsideOneToAThousandIsRefusedNamingTheKey() {
        for (int bad : new int[]{0, -1, 1001}) {
            assertThatThrownBy(() -> OutboxSettings.DEFAULTS.withMaxBatch(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("harness.core.outbox.maxBatch must be between 1 and 1000, is " + bad);
        }
    }

    @Test
    void aBackOffThatIsNotPositiveOrWhoseLongestIsShorterThanItsFirstIsRefused() {
        assertThatThrownBy(() -> new OutboxSettings(1, Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageContaining("firstBackOff must be positive");
        assertThatThrownBy(() -> new OutboxSettings(1, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("maxBackOff (PT1S) is shorter than firstBackOff (PT2S)");
    }
}
