package dk.sdu.cloud.im.harness.console;

import dk.sdu.cloud.im.harness.plugins.PluginFault;
import dk.sdu.cloud.im.spi.compute.FollowMessage;
import dk.sdu.cloud.im.spi.compute.FollowOutput;
import dk.sdu.cloud.im.spi.compute.FollowSession;
import dk.sdu.cloud.im.spi.compute.JobRejectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * One browser's view of a job's follow stream: the job's backend {@link
 * dk.sdu.cloud.im.spi.compute.ComputeBackend#follow follows} machine 0, and every message goes to the browser as
 * one text frame:
 * <pre>
 * {"rank": 0, "stdout": "...", "stderr": null, "channel": "utilization-data"}   (a message, as the backend sent it)
 * {"ended": "the job ended"}                                                    (last; the connection then closes)
 * {"error": "..."}                                                              (the backend refused or failed)
 * </pre>
 */
final class FollowRelay implements FollowOutput {
    private static final Logger LOG = LoggerFactory.getLogger(FollowRelay.class);
    /** Close status: the backend offers nothing to follow for this job. */
    static final int REFUSED = 4409;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Consumer<String> send;
    private final BiConsumer<Integer, String> close;
    private final Object lock = new Object();
    private FollowSession session;
    private boolean ended;

    /**
     * @param send  sends a text frame to the browser (called in order, one at a time)
     * @param close closes the browser's connection with a status and a reason
     */
    FollowRelay(Consumer<String> send, BiConsumer<Integer, String> close) {
        this.send = requireNonNull(send, "send is null");
        this.close = requireNonNull(close, "close is null");
    }

    /** Starts following; a refusal or failure is told to the browser, which is then disconnected. */
    void start(ConsoleJobs.LiveJob live) {
        FollowSession opened;
        try {
            opened = live.backend().follow(live.job(), 0, this);
        } catch (JobRejectedException e) {
            fail(REFUSED, "nothing to follow in job " + live.job().id() + ": " + e.getMessage());
            return;
        } catch (RuntimeException | LinkageError e) {
            PluginFault fault = PluginFault.of(live.backend(), "follow job " + live.job().id(), e);
            String reference = UUID.randomUUID().toString();
            LOG.error("{} (error reference {})", fault.detail(), reference, e);
            fail(1011, fault.withReference(reference));
            return;
        }
        boolean closeAtOnce;
        synchronized (lock) {
            session = opened;
            closeAtOnce = ended;
        }
        if (closeAtOnce && opened != null) {
            // The browser left while the backend was starting.
            opened.close();
        }
    }

    /** The browser left: the backend stops. */
    void stop() {
        FollowSession toClose;
        synchronized (lock) {
            if (ended) {
                return;
            }
            ended = true;
            toClose = session;
        }
        if (toClose != null) {
            try {
                toClose.close();
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("Closing a follow session failed", e);
            }
        }
    }

    @Override
    public void message(FollowMessage message) {
        if (message == null) {
            return;
        }
        ObjectNode frame = JSON.createObjectNode();
        frame.put("rank", message.rank());
        frame.put("stdout", message.stdout());
        frame.put("stderr", message.stderr());
        frame.put("channel", message.channel());
        deliver(JSON.writeValueAsString(frame));
    }

    @Override
    public void ended(String reason) {
        String why = reason == null ? "" : reason;
        synchronized (lock) {
            if (ended) {
                return;
            }
            ended = true;
            send.accept(JSON.writeValueAsString(JSON.createObjectNode().put("ended", why)));
        }
        close.accept(1000, why);
    }

    private void deliver(String frame) {
        synchronized (lock) {
            if (!ended) {
                send.accept(frame);
            }
        }
    }

    private void fail(int status, String why) {
        synchronized (lock) {
            ended = true;
            send.accept(JSON.writeValueAsString(JSON.createObjectNode().put("error", why)));
        }
        close.accept(status, why);
    }
}
