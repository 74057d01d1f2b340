package dk.sdu.cloud.im.harness.chaos;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class ServingLineTest {

    @Test
    void theReadyLineGivesTheBoundPortAtAnAddressThisMachineReaches() {
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
