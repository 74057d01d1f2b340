/**
 * The agent's own log lines on their way to the IM (the control connection's {@code log} frames), so that a job's
 * follow stream shows them: a bounded queue that drops the oldest lines when the IM is away for long.
 */
package dk.sdu.cloud.im.agent.log;
