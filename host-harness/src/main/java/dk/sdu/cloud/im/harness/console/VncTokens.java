package dk.sdu.cloud.im.harness.console;

import dk.sdu.cloud.im.spi.compute.ComputeBackend;
import dk.sdu.cloud.im.spi.job.Job;

/** Hands out the single-use token of a VNC websocket for a job's machine (the VNC relay's sessions). */
@FunctionalInterface
public interface VncTokens {

    /** A new token for the screen of {@code job}'s machine {@code rank}. */
    String issue(Job job, int rank, ComputeBackend backend);
}
