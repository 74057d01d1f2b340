package dk.sdu.cloud.im.harness.chaos;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dk.sdu.cloud.im.harness.serve.ImServer;
import dk.sdu.cloud.im.harness.testing.EmbeddedImFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class ServingLineTest {
    @TempDir
    Path temp;

    @Test
    void theReadyLineOfAnImOnPortZeroGivesThePortItBound() {
        Logger log = (Logger) LoggerFactory.getLogger(ImServer.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        log.addAppender(appender);
        try (EmbeddedImFixture fixture = new EmbeddedImFixture(temp.resolve("im"));
             ImServer server = fixture.startIm()) {
            String logged = appender.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .collect(Collectors.joining("\n", "", "\n"));

            assertThat(ServingLine.in(logged)).contains(server.url());
            assertThat(server.url().getPort()).isPositive();
        } finally {
            log.detachAppender(appender);
        }
    }

    @Test
    void aWildcardAddressBecomesOneThisMachineReaches() {
        String log = "12:00:01.123 INFO  ImServer - Job store: /tmp/x/jobs.mv.db\n"
                + "12:00:02.456 INFO  ImServer - ucloud-im serves provider 'k8s' on http://0.0.0.0:40123 (provider API "
                + "/ucloud/k8s/jobs, job view /harness/jobs, metrics /metrics); cluster: embedded\n";

        assertThat(ServingLine.in(log)).contains(URI.create("http://127.0.0.1:40123"));
    }

    @Test
    void withoutTheReadyLineThereIsNoAddressYet() {
        assertThat(ServingLine.in("12:00:01.123 INFO  ImServer - Job store: /tmp/x/jobs.mv.db\n")).isEmpty();
    }
}
