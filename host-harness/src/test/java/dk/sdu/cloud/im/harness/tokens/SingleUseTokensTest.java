package dk.sdu.cloud.im.harness.tokens;

import dk.sdu.cloud.im.harness.testing.SettableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SingleUseTokensTest {
    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-06T22:00:00Z"));
    private final SingleUseTokens<String> tokens = new SingleUseTokens<>(clock, Duration.ofSeconds(60));

    @Test
    void aTokenOpensWhatItWasIssuedForOnce() {
        String token = tokens.issue("screen of 4242");

        assertThat(tokens.isWaiting(token)).isTrue();
        assertThat(tokens.isWaiting(token)).as("looking does not use it up").isTrue();
        assertThat(tokens.claim(token)).contains("screen of 4242");
        assertThat(tokens.claim(token)).isEmpty();
        assertThat(tokens.isWaiting(token)).isFalse();
    }

    @Test
    void aTokenExpiresAtTheEndOfItsLifetime() {
        String early = tokens.issue("a");
        String late = tokens.issue("b");
        clock.advance(Duration.ofSeconds(60).minusMillis(1));
        assertThat(tokens.claim(early)).contains("a");
        clock.advance(Duration.ofMillis(1));
        assertThat(tokens.isWaiting(late)).isFalse();
        assertThat(tokens.claim(late)).isEmpty();
    }

    @Test
    void expiredTokensAreDroppedWhenTheNextIsIssued() {
        tokens.issue("a");
        tokens.issue("b");
        clock.advance(Duration.ofSeconds(60));
        tokens.issue("c");
        assertThat(tokens.waiting()).isEqualTo(1);
    }

    @Test
    void tokensAreRandomUrlSafeAndImplausibleOnesAreRefused() {
        String a = tokens.issue("a");
        assertThat(a).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(tokens.issue("a"));
        assertThat(tokens.claim(null)).isEmpty();
        assertThat(tokens.claim("")).isEmpty();
        assertThat(tokens.isWaiting("x".repeat(SingleUseTokens.MAX_TOKEN_CHARS + 1))).isFalse();
    }

    @Test
    void theLifetimeMustBePositive() {
        assertThatThrownBy(() -> new SingleUseTokens<String>(clock, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lifetime must be positive");
    }
}
