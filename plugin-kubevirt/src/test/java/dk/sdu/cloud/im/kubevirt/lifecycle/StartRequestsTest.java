package dk.sdu.cloud.im.kubevirt.lifecycle;

import dk.sdu.cloud.im.kubevirt.KubeVirtComputeBackend;
import dk.sdu.cloud.im.simulator.ApiVerb;
import dk.sdu.cloud.im.simulator.RequestCounts;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.job.JobState;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What starts cost in requests: nothing for a job whose objects are all as wanted (they are read from the
 * informers' caches), the same per job whether jobs start one after the other or side by side, and, for an IM
 * that starts again, a fixed number of lists and watches whatever the number of jobs.
 */
class StartRequestsTest extends BackendTestbed {

    @Test
    void aSecondStartOfARunningJobMakesNoRequestAtAll() throws IOException {
        Job job = withDisk(job("a"));
        backend.start(job);
        awaitState(job, JobState.RUNNING);
        awaitSimulatorIdle();

        // The informers bring the simulator's last changes a moment later; until then a start may read (never
        // write): wait until one makes no request, each one writing nothing.
        await().until(() -> {
            counter.reset();
            backend.start(job);
            RequestCounts counts = counter.snapshot();
            assertThat(counts.writes()).as("requests: %s", counts.byVerbAndResource()).isZero();
            return counts.total() == 0;
        });
        counter.reset();
        backend.start(job);
        backend.unsuspend(job);
        assertThat(counter.snapshot().total()).as("requests: %s", counter.snapshot().byVerbAndResource()).isZero();
        assertNoStateRepeated(job);
    }

    @Test
    void jobsStartedSideBySideMakeEachTheRequestsOfOneStartedAlone() throws Exception {
        Job alone = withDisk(job("one"));
        counter.reset();
        backend.start(alone);
        Map<ApiVerb, Long> perJob = counter.snapshot().byVerb();
        // A VM missing from the cache is not read (one that another IM made since meets the create's 409); the rest
        // is made, and the Service is marked with the address reported to Core (one patch; the address is read
        // from the cache, which holds the Service as its create returned it).
        assertThat(perJob).containsOnlyKeys(ApiVerb.CREATE, ApiVerb.PATCH).containsEntry(ApiVerb.PATCH, 1L);

        int count = 6;
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            jobs.add(withDisk(job("p" + i)));
        }
        counter.reset();
        ExecutorService threads = Executors.newFixedThreadPool(count);
        try {
            List<Future<?>> started = new ArrayList<>();
            for (Job job : jobs) {
                started.add(threads.submit(() -> backend.start(job)));
            }
            for (Future<?> future : started) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }

        Map<ApiVerb, Long> expected = new EnumMap<>(ApiVerb.class);
        perJob.forEach((verb, n) -> expected.put(verb, n * count));
        assertThat(counter.snapshot().byVerb()).isEqualTo(expected);
        for (Job job : jobs) {
            awaitState(job, JobState.RUNNING);
        }
        assertThat(snapshot().orphans()).isEmpty();
    }

    @Test
    void noMoreThanTheConfiguredNumberOfStartsRunAtOnce() throws Exception {
        stop(backend);
        provider = provider.withConfig(provider.config().withMaxParallelStarts(2));
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Semaphore gate = new Semaphore(0);
        // A start asks for the owner's SSH keys in the middle of its work: held there until the test lets go.
        KubeVirtComputeBackend bounded = newBackend(newCountedClient(), provider.ssh(), updates, jobId -> {
            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
            gate.acquireUninterruptibly();
            inside.decrementAndGet();
            return List.of(SSH_KEY);
        }, LifecycleComponents.standard());
        bounded.open();
        int count = 5;
        ExecutorService threads = Executors.newFixedThreadPool(count);
        try {
            List<Future<?>> started = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Job job = withDisk(job("b" + i));
                started.add(threads.submit(() -> bounded.start(job)));
            }
            await().until(() -> inside.get() == 2);
            gate.release(count);
            for (Future<?> future : started) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            gate.release(count);
            threads.shutdownNow();
        }
        assertThat(most.get()).isEqualTo(2);
    }

    @Test
    void anImThatStartsAgainListsAndWatchesAsManyTimesWhateverTheNumberOfJobs() throws IOException {
        startRunning(List.of(withDisk(job("r0")), withDisk(job("r1"))), backend);
        stop(backend);
        counter.reset();
        KubeVirtComputeBackend second = openBackend();
        RequestCounts withTwo = counter.snapshot();

        startRunning(List.of(withDisk(job("r2")), withDisk(job("r3")), withDisk(job("r4")), withDisk(job("r5"))),
                second);
        stop(second);
        counter.reset();
        openBackend();
        RequestCounts withSix = counter.snapshot();

        assertThat(withSix.of(ApiVerb.GET)).as("requests: %s", withSix.byVerbAndResource()).isZero();
        assertThat(withSix.writes()).as("requests: %s", withSix.byVerbAndResource()).isZero();
        assertThat(withSix.byVerb()).isEqualTo(withTwo.byVerb());
        assertThat(withSix.byVerbAndResource()).isEqualTo(withTwo.byVerbAndResource());
        // One informer per kind for the whole plugin (the cache's VMs, Services and PVs are the tracker's, the SSH
        // port allocator's and the sweeper's): each kind watched once, listed once more only by the adoption of
        // UCloud's IM's jobs (VMs and PVs).
        assertThat(withSix.byVerbAndResource()).as("requests: %s", withSix.byVerbAndResource())
                .containsAllEntriesOf(Map.of("watch virtualmachines", 1L, "watch services", 1L,
                        "watch persistentvolumes", 1L, "list services", 1L, "list virtualmachines", 2L,
                        "list persistentvolumes", 2L));
        assertThat(withSix.byVerbAndResource()).allSatisfy((request, count) -> {
            if (request.startsWith("watch ")) {
                assertThat(count).as(request).isEqualTo(1L);
            }
        });
        assertThat(withSix.of(ApiVerb.WATCH)).as("requests: %s", withSix.byVerbAndResource()).isEqualTo(9);
        assertThat(withSix.of(ApiVerb.LIST)).as("requests: %s", withSix.byVerbAndResource()).isEqualTo(11);
    }

    private void startRunning(List<Job> jobs, KubeVirtComputeBackend im) {
        jobs.forEach(im::start);
        jobs.forEach(job -> awaitState(job, JobState.RUNNING));
        awaitSimulatorIdle();
    }

    /** The job, with its disk made beforehand: its start creates the VM running at once. */
    private Job withDisk(Job job) throws IOException {
        Files.createDirectories(jobFolder(job));
        Files.write(disk(job), new byte[4096]);
        return job;
    }
}
