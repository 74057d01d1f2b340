package dk.sdu.cloud.im.harness.chaos;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * Core's side of a run: sends the jobs' operations as bulk requests, concurrently, as they fall due. Every
 * tick, the operations due are grouped by kind into requests of at most {@code batchSize} jobs, and as many as
 * {@code concurrency} requests are in flight at once. After its answer a job waits a random think time before
 * its next operation, so jobs drift apart and requests mix jobs at different points of their scripts.
 *
 * <p>A request that got no answer while the IM process that received it is still alive (its time ran out)
 * holds its jobs until that process is gone ({@link JobDriver}): the request may still take effect, and a later
 * operation of the same job must not overtake it, which the end-state rule does not allow for.
 */
final class Traffic {
    private static final long TICK_MILLIS = 100;

    private final List<JobDriver> drivers;
    private final ObjectNode template;
    private final ImLink link;
    private final RequestCounts counts;
    private final int batchSize;
    private final int maxThinkMillis;
    private final Random random;
    private final Semaphore slots;
    private final int concurrency;
    private final ExecutorService senders;
    private final AtomicInteger finishedOperations = new AtomicInteger();
    private volatile boolean stopped;

    Traffic(List<JobDriver> drivers, ObjectNode template, ImLink link, RequestCounts counts, int concurrency,
            int batchSize, int maxThinkMillis, Random random) {
        this.drivers = List.copyOf(drivers);
        this.template = requireNonNull(template, "template is null");
        this.link = requireNonNull(link, "link is null");
        this.counts = requireNonNull(counts, "counts is null");
        this.concurrency = concurrency;
        this.batchSize = batchSize;
        this.maxThinkMillis = maxThinkMillis;
        this.random = requireNonNull(random, "random is null");
        this.slots = new Semaphore(concurrency);
        this.senders = Executors.newFixedThreadPool(concurrency, runnable -> {
            Thread thread = new Thread(runnable, "chaos-sender");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Sends until every script is done, {@link #stop()} is called, or the deadline passes; then waits for requests in flight. */
    void run(long deadlineNanos) throws InterruptedException {
        while (!stopped && !allDone() && System.nanoTime() - deadlineNanos < 0) {
            if (link.up()) {
                dispatch(System.nanoTime());
            }
            Thread.sleep(TICK_MILLIS);
        }
        slots.acquire(concurrency);
        slots.release(concurrency);
        senders.shutdown();
    }

    void stop() {
        stopped = true;
    }

    int finishedOperations() {
        return finishedOperations.get();
    }

    int inFlight() {
        return concurrency - slots.availablePermits();
    }

    boolean allDone() {
        return drivers.stream().allMatch(JobDriver::isDone);
    }

    /** Whether nothing more happens until the IM is restarted: every job is done or held, none in flight. */
    boolean idle() {
        int generation = link.generation();
        return drivers.stream().allMatch(driver -> driver.isIdle(generation));
    }

    /** Jobs held by a request without an answer, waiting for the next IM process. */
    int held() {
        int generation = link.generation();
        return (int) drivers.stream().filter(driver -> driver.isHeld(generation)).count();
    }

    /** Operations of the scripts not sent. */
    int unsent() {
        return drivers.stream().mapToInt(JobDriver::unsent).sum();
    }

    private void dispatch(long now) {
        Map<Operation, List<JobDriver>> due = new EnumMap<>(Operation.class);
        int current = link.generation();
        for (JobDriver driver : drivers) {
            Optional<Operation> operation = driver.due(now, current);
            operation.ifPresent(op -> due.computeIfAbsent(op, o -> new ArrayList<>()).add(driver));
        }
        for (Map.Entry<Operation, List<JobDriver>> entry : due.entrySet()) {
            List<JobDriver> waiting = entry.getValue();
            for (int from = 0; from < waiting.size(); from += batchSize) {
                if (!slots.tryAcquire()) {
                    return;
                }
                List<JobDriver> batch = List.copyOf(waiting.subList(from, Math.min(waiting.size(), from + batchSize)));
                batch.forEach(JobDriver::sent);
                Operation operation = entry.getKey();
                int generation = link.generation();
                ProviderApi api = link.api();
                senders.execute(() -> {
                    try {
                        send(api, generation, operation, batch);
                    } finally {
                        slots.release();
                    }
                });
            }
        }
    }

    private void send(ProviderApi api, int generation, Operation operation, List<JobDriver> batch) {
        List<JsonNode> jobs = batch.stream().map(driver -> (JsonNode) template.deepCopy().put("id", driver.jobId())).toList();
        ProviderApi.Answer answer = api.send(operation, jobs);
        counts.record(operation, answer, batch.size());
        // No answer from an IM that is still alive: hold the jobs until that process is gone.
        int holdUntil = answer.outcome() == Outcome.NO_ANSWER ? generation + 1 : Integer.MIN_VALUE;
        Step step = new Step(operation, answer.outcome(), answer.status());
        for (JobDriver driver : batch) {
            long think;
            synchronized (random) {
                think = maxThinkMillis == 0 ? 0 : random.nextInt(maxThinkMillis + 1);
            }
            driver.finished(step, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(think), holdUntil);
            finishedOperations.incrementAndGet();
        }
    }
}
