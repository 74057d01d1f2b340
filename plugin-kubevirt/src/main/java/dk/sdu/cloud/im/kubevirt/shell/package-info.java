/**
 * Users' shells in VM jobs: the relay between a {@link dk.sdu.cloud.im.spi.compute.TerminalSession} and the
 * guest, through the agent's PTY ({@link dk.sdu.cloud.im.kubevirt.agent.GuestTtys}) when it answers, else
 * through KubeVirt's serial console, and back to the agent when it comes.
 */
package dk.sdu.cloud.im.kubevirt.shell;
