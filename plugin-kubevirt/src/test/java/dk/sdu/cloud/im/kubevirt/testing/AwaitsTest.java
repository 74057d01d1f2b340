package dk.sdu.cloud.im.kubevirt.testing;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A wait that gives up says where every thread was. */
class AwaitsTest {

    @Test
    void aWaitThatTimesOutPrintsEveryThreadsStack() {
        PrintStream original = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            assertThatThrownBy(() -> Awaits.await().atMost(Duration.ofMillis(50)).until(() -> false))
                    .isInstanceOf(ConditionTimeoutException.class);
        } finally {
            System.setErr(original);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).startsWith("A wait timed out")
                .contains("\"" + Thread.currentThread().getName() + "\"")
                .contains(AwaitsTest.class.getName() + ".aWaitThatTimesOutPrintsEveryThreadsStack(AwaitsTest.java");
    }
}
