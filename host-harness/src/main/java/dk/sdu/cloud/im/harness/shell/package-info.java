/**
 * Interactive shells in UCloud's shape: single-use session identifiers handed out by the provider API's
 * {@code interactiveSession} call, and the websocket ({@code /ucloud/<provider>/websocket}) that turns them into
 * a {@link dk.sdu.cloud.im.spi.compute.TerminalSession} of the job's compute backend.
 */
package dk.sdu.cloud.im.harness.shell;
