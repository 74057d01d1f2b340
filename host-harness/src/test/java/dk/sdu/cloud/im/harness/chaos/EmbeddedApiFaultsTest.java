package dk.sdu.cloud.im.harness.chaos;

import dk.sdu.cloud.im.simulator.FaultKind;
import dk.sdu.cloud.im.simulator.RequestFaults;
import io.fabric8.kubernetes.client.Config;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedApiFaultsTest {
    @Test
    void aTimeoutOutlastsTheImsRequestTimeoutSoTheClientGivesUp() {
        RequestFaults plan = EmbeddedApiFaults.plan(0.05, 42L);

        assertThat(plan.timeoutHold()).isGreaterThan(Duration.ofMillis(Config.DEFAULT_REQUEST_TIMEOUT));
    }

    @Test
    void thePlanFailsRequestsEveryWayButClosingWatches() {
        RequestFaults plan = EmbeddedApiFaults.plan(0.05, 42L);

        assertThat(plan.rate()).isEqualTo(0.05);
        assertThat(plan.seed()).isEqualTo(42L);
        assertThat(plan.kinds()).isEqualTo(EnumSet.of(FaultKind.INTERNAL_ERROR, FaultKind.SERVICE_UNAVAILABLE,
                FaultKind.TIMEOUT, FaultKind.CONFLICT));
    }
}
