package dk.sdu.cloud.im.kubevirt.state;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BootStagesTest {

    static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void aNewInstanceBootsAnewAndAnAgentThatGoesStartsTheLimitAgain() {
        BootStages stages = new BootStages(Duration.ofSeconds(90));
        assertThat(stages.running("j", "uid-1", T0)).contains(BootStages.BOOTING);
        assertThat(stages.overdueAt("j")).contains(T0.plusSeconds(90));
        assertThat(stages.running("j", "uid-1", T0.plusSeconds(90))).get().asString()
                .startsWith("The guest's agent has not connected within 90 s of the boot");
        // Another instance (a restart): booting again, with a limit of its own.
        assertThat(stages.running("j", "uid-2", T0.plusSeconds(100))).contains(BootStages.BOOTING);
        stages.agentConnected("j", new GuestAgentReport(null, "10.0.0.7"));
        assertThat(stages.overdueAt("j")).isEmpty();
        assertThat(stages.running("j", "uid-2", T0.plusSeconds(500))).contains(
                "The guest is up: its agent is connected (10.0.0.7).");
        stages.agentGone("j", T0.plusSeconds(600));
        assertThat(stages.running("j", "uid-2", T0.plusSeconds(600))).contains(BootStages.BOOTING);
        assertThat(stages.overdueAt("j")).contains(T0.plusSeconds(690));
    }

    @Test
    void theOverdueBootsAreThoseWithoutAgentPastTheLimit() {
        BootStages stages = new BootStages(Duration.ofSeconds(90));
        stages.running("early", "uid-1", T0);
        stages.running("late", "uid-2", T0.plusSeconds(60));
        stages.running("connected", "uid-3", T0);
        stages.agentConnected("connected", GuestAgentReport.NONE);

        assertThat(stages.overdue(T0.plusSeconds(89))).isEmpty();
        assertThat(stages.overdue(T0.plusSeconds(90))).containsExactly("early");
        assertThat(stages.overdue(T0.plusSeconds(150))).containsExactlyInAnyOrder("early", "late");
        stages.notRunning("early");
        assertThat(stages.overdue(T0.plusSeconds(150))).containsExactly("late");
        assertThat(new BootStages(Duration.ZERO).overdue(T0)).isEmpty();
    }

    @Test
    void noLimitNeverPointsToTheConsole() {
        BootStages stages = new BootStages(Duration.ZERO);
        stages.running("j", "uid-1", T0);
        assertThat(stages.overdueAt("j")).isEmpty();
        assertThat(stages.running("j", "uid-1", T0.plus(Duration.ofDays(1)))).contains(BootStages.BOOTING);
        assertThatThrownBy(() -> new BootStages(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRestoredBootSaysNothingUntilTheAgentSpeaksOrTheLimitPasses() {
        BootStages stages = new BootStages(Duration.ofMinutes(2));
        stages.restored("j", "uid-1", T0);
        assertThat(stages.running("j", "uid-1", T0.plusSeconds(5))).isEmpty();
        assertThat(stages.running("j", "uid-1", T0.plusSeconds(120))).get().asString()
                .contains("within 2 minutes");
        stages.agentReady("j");
        assertThat(stages.running("j", "uid-1", T0.plusSeconds(121))).contains(BootStages.READY);
    }

    @Test
    void theReportIsDescribedWithWhatItHas() {
        assertThat(new GuestAgentReport("Debian 12", "10.0.0.7").describe()).isEqualTo(" (Debian 12, 10.0.0.7)");
        assertThat(new GuestAgentReport("Debian 12", " ").describe()).isEqualTo(" (Debian 12)");
        assertThat(GuestAgentReport.NONE.describe()).isEmpty();
    }
}
