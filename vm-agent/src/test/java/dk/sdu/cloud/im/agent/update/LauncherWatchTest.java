package dk.sdu.cloud.im.agent.update;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sdu.cloud.im.agent.time.ManualScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherWatchTest {
    @TempDir
    Path temp;

    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<Integer> exits = new ArrayList<>();

    @Test
    void anUnchangedLauncherKeepsTheAgentRunning() throws Exception {
        var launcher = Files.writeString(temp.resolve("vmagent"), "#!/bin/sh\necho one\n");
        new LauncherWatch(launcher, scheduler, exits::add).start();
        scheduler.advance(Duration.ofSeconds(60));
        assertThat(exits).isEmpty();
    }

    @Test
    void aChangedLauncherExitsWith75AtTheNextCheck_evenWithTheSameSizeAndTime() throws Exception {
        var launcher = Files.writeString(temp.resolve("vmagent"), "#!/bin/sh\necho one\n");
        var time = Files.getLastModifiedTime(launcher);
        new LauncherWatch(launcher, scheduler, exits::add).start();
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(exits).isEmpty();

        Files.writeString(launcher, "#!/bin/sh\necho two\n");
        Files.setLastModifiedTime(launcher, time);
        scheduler.advance(Duration.ofSeconds(4));
        assertThat(exits).isEmpty();
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(exits).startsWith(75);
    }

    @Test
    void aLauncherThatAppearsOrVanishesIsAChange() throws Exception {
        var launcher = temp.resolve("vmagent");
        new LauncherWatch(launcher, scheduler, exits::add).start();
        Files.writeString(launcher, "#!/bin/sh\n");
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(exits).startsWith(75);

        exits.clear();
        var other = new ManualScheduler();
        new LauncherWatch(launcher, other, exits::add).start();
        Files.delete(launcher);
        other.advance(Duration.ofSeconds(5));
        assertThat(exits).containsExactly(75);
    }
}
