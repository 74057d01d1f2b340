package dk.sdu.cloud.im.harness.demo;

import dk.sdu.cloud.im.harness.client.FollowStream;
import dk.sdu.cloud.im.harness.client.HarnessClient;
import dk.sdu.cloud.im.harness.client.HarnessClientException;
import dk.sdu.cloud.im.spi.compute.FollowMessage;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * The demo's follow step, as UCloud/Core follows a job: the follow websocket of the provider API
 * ({@link HarnessClient#follow}). It prints the first log line of the guest's agent and the first metrics sample
 * (channel {@code utilization-data}, from the metrics service the simulator runs beside the agent); both must come
 * within the step timeout.
 */
final class DemoFollow {
    /** UCloud's channel of utilisation samples. */
    static final String SAMPLES = "utilization-data";
    private static final int MAX_SHOWN_CHARS = 140;

    private final HarnessClient client;
    private final String jobId;
    private final DemoOutput output;
    private final Duration stepTimeout;

    DemoFollow(HarnessClient client, String jobId, DemoOutput output, Duration stepTimeout) {
        this.client = requireNonNull(client, "client is null");
        this.jobId = requireNonNull(jobId, "jobId is null");
        this.output = requireNonNull(output, "output is null");
        this.stepTimeout = requireNonNull(stepTimeout, "stepTimeout is null");
    }

    /**
     * Runs the step.
     *
     * @throws DemoFailure when the stream cannot be opened, ends, or shows no agent log line or no sample in time
     */
    void run() {
        output.line("follow: following job " + jobId + " as Core does (the provider API's follow websocket)");
        BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        FollowStream stream;
        try {
            stream = client.follow(jobId, new FollowStream.Listener() {
                @Override
                public void message(FollowMessage message) {
                    events.add(message);
                }

                @Override
                public void ended(int status, String why) {
                    events.add("the stream ended (" + status + "): " + why);
                }
            });
        } catch (HarnessClientException e) {
            throw new DemoFailure("step 'follow: open': " + e.getMessage(), e);
        }
        try (stream) {
            watch(events);
            stream.cancel();
        }
    }

    private void watch(BlockingQueue<Object> events) {
        long deadline = System.nanoTime() + stepTimeout.toNanos();
        FollowMessage logLine = null;
        FollowMessage sample = null;
        while (logLine == null || sample == null) {
            Object event = poll(events, deadline - System.nanoTime());
            if (event == null) {
                throw new DemoFailure("step 'follow: " + (logLine == null ? "an agent log line" : "a metrics sample")
                        + "' timed out after " + stepTimeout.toSeconds() + " s");
            }
            if (event instanceof String ended) {
                throw new DemoFailure("step 'follow': " + ended);
            }
            FollowMessage message = (FollowMessage) event;
            if (logLine == null && message.channel() == null && message.stdout() != null) {
                logLine = message;
                output.line("follow: the agent's first log line:");
                output.block(shorten(message.stdout()));
            } else if (sample == null && SAMPLES.equals(message.channel())) {
                sample = message;
                output.line("follow: a metrics sample (channel " + SAMPLES + "):");
                output.block(shorten(message.stdout() == null ? "" : message.stdout()));
            }
        }
    }

    private static Object poll(BlockingQueue<Object> events, long nanos) {
        if (nanos <= 0) {
            return events.poll();
        }
        try {
            return events.poll(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoFailure("interrupted while following the job", e);
        }
    }

    private static String shorten(String text) {
        String line = text.strip();
        return line.length() <= MAX_SHOWN_CHARS ? line : line.substring(0, MAX_SHOWN_CHARS) + "…";
    }
}
