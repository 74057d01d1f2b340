package dk.sdu.cloud.im.harness.demo;

import dk.sdu.cloud.im.harness.client.HarnessClient;
import dk.sdu.cloud.im.harness.client.HarnessClientException;
import dk.sdu.cloud.im.harness.client.VncConnection;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * The demo's screen step, as UCloud's frontend gets there: a VNC session through the provider API
 * ({@link HarnessClient#openVnc}), whose websocket the IM relays to the VM's VNC stream; the step prints the first
 * bytes the screen sends, the RFB server's version line.
 *
 * <p>A cluster that serves no screen for the VM (a simulator without an RFB server) is reported and the demo goes
 * on; a screen that answers with something other than RFB fails the step.
 */
final class DemoVnc {
    /** How an RFB server's first words begin. */
    static final String RFB_PREFIX = "RFB ";
    /** The length of an RFB version line, {@code "RFB 003.008\n"}. */
    static final int VERSION_LINE_BYTES = 12;

    private final HarnessClient client;
    private final String jobId;
    private final DemoOutput output;
    private final Duration stepTimeout;

    /**
     * @param client      the provider API
     * @param jobId       a RUNNING VM job
     * @param output      where the step tells what happens
     * @param stepTimeout how long the step may take
     */
    DemoVnc(HarnessClient client, String jobId, DemoOutput output, Duration stepTimeout) {
        this.client = requireNonNull(client, "client is null");
        this.jobId = requireNonNull(jobId, "jobId is null");
        this.output = requireNonNull(output, "output is null");
        this.stepTimeout = requireNonNull(stepTimeout, "stepTimeout is null");
    }

    /**
     * Runs the step.
     *
     * @throws DemoFailure when the provider API refuses the session or the screen speaks something other than RFB
     */
    void run() {
        output.line("VNC: opening the screen of job " + jobId + " through the provider API (interactive session "
                + "of type VNC, then its websocket)");
        VncConnection screen;
        try {
            screen = client.openVnc(jobId, 0);
        } catch (HarnessClientException e) {
            throw new DemoFailure("step 'VNC: open': " + e.getMessage(), e);
        }
        try (screen) {
            byte[] first = screen.firstBytes(VERSION_LINE_BYTES, stepTimeout);
            if (first.length == 0) {
                output.line("VNC: the cluster served no screen for the VM"
                        + screen.closed().map(c -> " (" + c.reason() + ")").orElse("") + "; going on without it");
                return;
            }
            String line = VncConnection.printable(first);
            if (!new String(first, StandardCharsets.US_ASCII).startsWith(RFB_PREFIX)) {
                throw new DemoFailure("step 'VNC: handshake': the screen's first bytes are not an RFB version line: "
                        + line, null);
            }
            output.line("VNC: " + line);
        }
    }
}
