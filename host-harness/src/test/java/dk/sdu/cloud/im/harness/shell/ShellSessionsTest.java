package dk.sdu.cloud.im.harness.shell;

import dk.sdu.cloud.im.harness.api.ExampleJobs;
import dk.sdu.cloud.im.harness.api.RecordingBackend;
import dk.sdu.cloud.im.harness.testing.SettableClock;
import dk.sdu.cloud.im.spi.job.Job;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ShellSessionsTest {
    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-06T22:00:00Z"));
    private final ShellSessions sessions = new ShellSessions(clock);
    private final RecordingBackend backend = new RecordingBackend();
    private final Job job = ExampleJobs.JSON.treeToValue(ExampleJobs.vmJob("4242"), Job.class);

    @Test
    void anIdentifierIsBoundToItsJobAndRankAndGoodOnce() {
        String identifier = sessions.issue(job, 0, backend);

        ShellSessions.Pending claimed = sessions.claim(identifier).orElseThrow();
        assertThat(claimed.job().id()).isEqualTo("4242");
        assertThat(claimed.rank()).isZero();
        assertThat(claimed.backend()).isSameAs(backend);
        assertThat(sessions.claim(identifier)).isEmpty();
    }

    @Test
    void anIdentifierExpiresAfterItsLifetime() {
        String early = sessions.issue(job, 0, backend);
        String late = sessions.issue(job, 0, backend);
        clock.advance(ShellSessions.LIFETIME.minus(Duration.ofMillis(1)));
        assertThat(sessions.claim(early)).isPresent();
        clock.advance(Duration.ofMillis(1));
        assertThat(sessions.claim(late)).isEmpty();
    }

    @Test
    void expiredIdentifiersAreDroppedWhenTheNextIsIssued() {
        sessions.issue(job, 0, backend);
        sessions.issue(job, 0, backend);
        assertThat(sessions.waiting()).isEqualTo(2);
        clock.advance(ShellSessions.LIFETIME);
        sessions.issue(job, 0, backend);
        assertThat(sessions.waiting()).isEqualTo(1);
    }

    @Test
    void identifiersAreRandomAndUrlSafe() {
        String a = sessions.issue(job, 0, backend);
        String b = sessions.issue(job, 0, backend);
        assertThat(a).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(b);
        assertThat(sessions.claim("")).isEmpty();
        assertThat(sessions.claim(null)).isEmpty();
        assertThat(sessions.claim("x".repeat(10_000))).isEmpty();
    }
}
