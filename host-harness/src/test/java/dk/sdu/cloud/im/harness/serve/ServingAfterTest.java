package dk.sdu.cloud.im.harness.serve;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** The "serving after" figure of serve's ready line: time since the process started, by the given clock. */
class ServingAfterTest {

    @Test
    void countsFromTheProcessStart() {
        // Linux, where the IM runs, always tells.
        Instant start = ProcessHandle.current().info().startInstant().orElseThrow();

        String since = ImServer.sinceProcessStart(Clock.fixed(start.plusMillis(1234), ZoneOffset.UTC));

        assertThat(since).isEqualTo("1234 ms");
    }
}
