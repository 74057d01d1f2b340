package dk.sdu.cloud.im.kubevirt.metrics;

import dk.sdu.cloud.im.kubevirt.testing.ManualScheduler;
import dk.sdu.cloud.im.spi.compute.FollowMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;

import static dk.sdu.cloud.im.kubevirt.testing.Awaits.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The feed end to end on a real folder: the charts first, the recent samples, the summary, then each new sample as
 * the file-system notification brings it (awaited with generous bounds), a new ring as a reset, and the safety read
 * on the test's command.
 */
class WorkFolderMetricsFeedTest {
    @TempDir
    Path work;

    private final ManualScheduler scheduler = new ManualScheduler();
    private final ThreadFactory threads = task -> {
        Thread thread = new Thread(task, "metrics-feed-test");
        thread.setDaemon(true);
        return thread;
    };
    private final WorkFolderMetricsFeed feed = new WorkFolderMetricsFeed(scheduler, threads, MetricsFeedSettings.DEFAULTS);
    private final List<FollowMessage> received = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        feed.close();
    }

    private List<FollowMessage> on(String channel) {
        return received.stream().filter(m -> channel.equals(m.channel())).toList();
    }

    private void summary(String text) throws Exception {
        Path folder = Files.createDirectories(work.resolve(MetricsFileFormat.FOLDER));
        Path temporary = folder.resolve("summary.new");
        Files.writeString(temporary, text);
        Files.move(temporary, folder.resolve(MetricsFileFormat.SUMMARY_FILE),
                java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void chartsThenRecentSamplesThenSummaryThenNewSamples() throws Exception {
        Path folder = Files.createDirectories(work.resolve(MetricsFileFormat.FOLDER));
        Files.write(folder.resolve(MetricsFileFormat.RING_FILE), TestRing.golden());
        summary("OperatingSystem:Debian GNU/Linux 12 (bookworm)\n");

        AutoCloseable following = feed.follow(work, 3, received::add);
        await().until(() -> received.size() >= 5 + 8 + 1);
        assertThat(received.subList(0, 5)).extracting(FollowMessage::channel).containsOnly("ui");
        assertThat(received.subList(5, 13)).extracting(FollowMessage::channel).containsOnly("utilization-data");
        assertThat(received.get(5).stdout()).startsWith(String.valueOf(1767225600000L + 250 * 4) + ",50,4000000,");
        assertThat(received.get(13)).isEqualTo(FollowMessage.onChannel(3, "kv",
                "OperatingSystem:Debian GNU/Linux 12 (bookworm)\n"));
        assertThat(received).extracting(FollowMessage::rank).containsOnly(3);
        // The chart's top comes from the latest sample: 2 vCPUs.
        assertThat(received.get(0).stdout()).contains("\"maximum\":200.0");

        // A new sample (the golden ring holds 11; slot of 12 is (12 - 1) % 8 = 3): the notification brings it.
        appendGoldenStyle(folder.resolve(MetricsFileFormat.RING_FILE), 12);
        await().until(() -> on("utilization-data").size() == 9);
        assertThat(on("utilization-data").get(8).stdout()).startsWith("1767225603000,150,");

        summary("OperatingSystem:Debian GNU/Linux 12 (bookworm)\n");
        summary("OperatingSystem:Debian GNU/Linux 13 (trixie)\n");
        await().until(() -> on("kv").size() == 2);
        assertThat(on("kv").get(1).stdout()).isEqualTo("OperatingSystem:Debian GNU/Linux 13 (trixie)\n");

        following.close();
        following.close();
        assertThat(feed.followedFolders()).isZero();
    }

    @Test
    void aNewRingIsAResetAndItsSamplesFollow() throws Exception {
        var ring = TestRing.create(work, 16, 4, 1);
        ring.append(1);
        feed.follow(work, 0, received::add);
        await().until(() -> on("utilization-data").size() == 1);

        var replacement = TestRing.create(work, 16, 4, 2);
        replacement.append(100);
        replacement.append(200);
        await().until(() -> on("utilization-data").size() == 3);
        int reset = received.indexOf(FollowMessage.onChannel(0, "utilization-data-reset", ""));
        assertThat(reset).isPositive();
        assertThat(received.subList(reset + 1, received.size())).extracting(FollowMessage::stdout)
                .containsExactly("100,101,102,103", "200,201,202,203");
        assertThat(on("utilization-data-reset")).hasSize(1);
    }

    @Test
    void aFolderThatAppearsLaterIsFollowed() throws Exception {
        feed.follow(work, 0, received::add);
        await().until(() -> received.size() == 5);
        assertThat(received).extracting(FollowMessage::channel).containsOnly("ui");

        var ring = TestRing.create(work, 16, 2, 1);
        ring.append(1);
        ring.append(2);
        await().until(() -> on("utilization-data").size() == 2);
        assertThat(on("utilization-data")).extracting(FollowMessage::stdout).containsExactly("1,2", "2,3");
    }

    @Test
    void theSafetyReadFindsWhatNoNotificationReported() throws Exception {
        var ring = TestRing.create(work, 16, 2, 1);
        // Stand-in for NFS, whose changes made on another machine inotify never reports.
        var unnotified = new WorkFolderMetricsFeed(scheduler, threads,
                MetricsFeedSettings.DEFAULTS.withoutNotifications());
        unnotified.follow(work, 0, received::add);
        await().until(() -> received.size() == 5);
        ring.append(7);
        assertThat(on("utilization-data")).isEmpty();
        scheduler.tick();
        await().until(() -> on("utilization-data").size() == 1);
        assertThat(on("utilization-data").get(0).stdout()).isEqualTo("7,8");
        assertThat(scheduler.periods()).containsExactly(MetricsFeedSettings.DEFAULTS.safetyInterval());
        unnotified.close();
    }

    @Test
    void followersOfOneFolderShareItAndTheLastCloseStopsIt() throws Exception {
        var ring = TestRing.create(work, 16, 2, 1);
        ring.append(1);
        List<FollowMessage> second = new CopyOnWriteArrayList<>();
        AutoCloseable a = feed.follow(work, 0, received::add);
        AutoCloseable b = feed.follow(work.resolve("."), 1, second::add);
        assertThat(feed.followedFolders()).isEqualTo(1);
        await().until(() -> on("utilization-data").size() == 1 && second.size() == 6);
        assertThat(second.get(5)).isEqualTo(FollowMessage.onChannel(1, "utilization-data", "1,2"));

        a.close();
        ring.append(5);
        await().until(() -> second.size() == 7);
        assertThat(on("utilization-data")).hasSize(1);
        assertThat(feed.followedFolders()).isEqualTo(1);
        b.close();
        assertThat(feed.followedFolders()).isZero();
        assertThat(scheduler.periods()).isEmpty();
    }

    @Test
    void aFailingSinkGetsNothingMoreAndItsCloseStillLetsTheFolderGo() throws Exception {
        var ring = TestRing.create(work, 16, 2, 1);
        ring.append(1);
        List<FollowMessage> failing = new CopyOnWriteArrayList<>();
        AutoCloseable broken = feed.follow(work, 0, message -> {
            failing.add(message);
            throw new IllegalStateException("socket closed");
        });
        AutoCloseable healthy = feed.follow(work, 1, received::add);
        await().until(() -> on("utilization-data").size() == 1);
        ring.append(2);
        await().until(() -> on("utilization-data").size() == 2);
        assertThat(failing).hasSize(1);
        broken.close();
        healthy.close();
        assertThat(feed.followedFolders()).isZero();
    }

    @Test
    void garbageIsSkippedAndTheFollowGoesOn() throws Exception {
        Path folder = Files.createDirectories(work.resolve(MetricsFileFormat.FOLDER));
        Files.writeString(folder.resolve(MetricsFileFormat.RING_FILE), "x".repeat(5000));
        feed.follow(work, 0, received::add);
        await().until(() -> received.size() == 5);
        var ring = TestRing.create(work, 16, 2, 9);
        ring.append(1);
        await().until(() -> on("utilization-data").size() == 1);
        assertThat(on("utilization-data-reset")).isEmpty();
    }

    // Sample i of the agent's golden rows: time 1767225600000 + 250 i, CPU 12.5 i; the rest 0.
    private static void appendGoldenStyle(Path ringFile, long sequence) throws Exception {
        double[] values = new double[64];
        values[0] = 1767225600000.0 + 250 * sequence;
        values[1] = 12.5 * sequence;
        var slot = java.nio.ByteBuffer.allocate(16 + 64 * 8);
        slot.putLong(sequence).putInt(64 * 8).putInt(0);
        for (double v : values) {
            slot.putDouble(v);
        }
        var crc = new java.util.zip.CRC32C();
        crc.update(slot.array(), 0, 12);
        crc.update(slot.array(), 16, 64 * 8);
        slot.putInt(12, (int) crc.getValue());
        slot.flip();
        try (var channel = java.nio.channels.FileChannel.open(ringFile, java.nio.file.StandardOpenOption.WRITE)) {
            channel.write(slot, 64 + ((sequence - 1) % 8) * (16 + 64 * 8L));
        }
    }
}
