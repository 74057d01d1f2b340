package dk.sdu.cloud.im.harness.services;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DirectorySshKeyDirectoryTest {
    @TempDir
    Path temp;

    @Test
    void aJobsKeysAreTheLinesOfItsFile() throws IOException {
        Files.writeString(temp.resolve("4242.pub"), """
                # alice's keys
                ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample alice@laptop

                  ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQExample alice@desktop \s
                """);
        DirectorySshKeyDirectory keys = new DirectorySshKeyDirectory(temp);

        assertThat(keys.authorizedKeys("4242")).containsExactly(
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample alice@laptop",
                "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQExample alice@desktop");
    }

    @Test
    void aJobWithoutAFileHasNoKeys() {
        assertThat(new DirectorySshKeyDirectory(temp.resolve("absent")).authorizedKeys("1")).isEmpty();
    }

    @Test
    void jobIdsThatAreNotFileNamesAreRejected() {
        DirectorySshKeyDirectory keys = new DirectorySshKeyDirectory(temp);
        assertThatThrownBy(() -> keys.authorizedKeys("../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> keys.authorizedKeys("..")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> keys.authorizedKeys("")).isInstanceOf(IllegalArgumentException.class);
    }

    /** Bounds a failure only: the watch reports at once on a healthy machine. */
    private static final long DEADLINE_SECONDS = 30;

    private static String next(BlockingQueue<String> changes) throws InterruptedException {
        String jobId = changes.poll(DEADLINE_SECONDS, TimeUnit.SECONDS);
        assertThat(jobId).as("a change reported within " + DEADLINE_SECONDS + " s").isNotNull();
        return jobId;
    }

    /** Takes reports until one for {@code jobId} came (a write may be reported as a create and a modify). */
    private static void awaitJob(BlockingQueue<String> changes, String jobId) throws InterruptedException {
        while (!next(changes).equals(jobId)) {
            // another job's earlier event
        }
    }

    @Test
    void aWatchReportsCreatedChangedAndDeletedKeyFiles() throws Exception {
        Path keysDir = temp.resolve("ssh-keys");
        BlockingQueue<String> changes = new LinkedBlockingQueue<>();
        try (DirectorySshKeyDirectory keys = new DirectorySshKeyDirectory(keysDir);
             AutoCloseable watch = keys.watch(changes::add)) {
            // The directory is made for the watch.
            assertThat(keysDir).isDirectory();

            Files.writeString(keysDir.resolve("4242.pub"), "ssh-ed25519 AAAA alice\n");
            assertThat(next(changes)).isEqualTo("4242");
            changes.clear();

            Files.writeString(keysDir.resolve("7.pub"), "ssh-ed25519 BBBB bob\n");
            awaitJob(changes, "7");
            Files.writeString(keysDir.resolve("4242.pub"), "ssh-ed25519 CCCC alice\n");
            awaitJob(changes, "4242");
            Files.delete(keysDir.resolve("7.pub"));
            awaitJob(changes, "7");

            // Files that are not a job's keys are not reported.
            Files.writeString(keysDir.resolve("notes.txt"), "x");
            Files.writeString(keysDir.resolve("9.pub"), "ssh-ed25519 DDDD carol\n");
            assertThat(next(changes)).isEqualTo("9");
        }
    }

    @Test
    void aClosedWatchReportsNothingMore() throws Exception {
        Path keysDir = temp.resolve("ssh-keys");
        BlockingQueue<String> first = new LinkedBlockingQueue<>();
        BlockingQueue<String> second = new LinkedBlockingQueue<>();
        try (DirectorySshKeyDirectory keys = new DirectorySshKeyDirectory(keysDir)) {
            AutoCloseable closed = keys.watch(first::add);
            try (AutoCloseable open = keys.watch(second::add)) {
                closed.close();
                Files.writeString(keysDir.resolve("1.pub"), "ssh-ed25519 AAAA a\n");
                // The open watch saw it, so the closed one would have by now.
                assertThat(next(second)).isEqualTo("1");
                assertThat(first).isEmpty();
            }
        }
    }

    @Test
    void closingTheDirectoryEndsEveryWatch() throws Exception {
        Path keysDir = temp.resolve("ssh-keys");
        BlockingQueue<String> changes = new LinkedBlockingQueue<>();
        BlockingQueue<String> witness = new LinkedBlockingQueue<>();
        DirectorySshKeyDirectory keys = new DirectorySshKeyDirectory(keysDir);
        keys.watch(changes::add);
        keys.close();
        try (DirectorySshKeyDirectory other = new DirectorySshKeyDirectory(keysDir);
             AutoCloseable watch = other.watch(witness::add)) {
            Files.writeString(keysDir.resolve("2.pub"), "ssh-ed25519 AAAA a\n");
            assertThat(next(witness)).isEqualTo("2");
            assertThat(changes).isEmpty();
        }
        assertThat(Set.copyOf(changes)).isEmpty();
    }

    @Test
    void aFailingListenerDoesNotEndTheWatch() throws Exception {
        Path keysDir = temp.resolve("ssh-keys");
        BlockingQueue<String> changes = new LinkedBlockingQueue<>();
        try (DirectorySshKeyDirectory keys = new DirectorySshKeyDirectory(keysDir);
             AutoCloseable watch = keys.watch(jobId -> {
                 changes.add(jobId);
                 throw new IllegalStateException("listener bug");
             })) {
            Files.writeString(keysDir.resolve("3.pub"), "a\n");
            awaitJob(changes, "3");
            Files.writeString(keysDir.resolve("4.pub"), "b\n");
            awaitJob(changes, "4");
        }
    }
}
