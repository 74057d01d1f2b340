/**
 * The IM's side of the guest agent protocol ({@code docs/agent-protocol.md}): the control and TTY endpoints
 * that guests' agents dial, their sessions, and what flows over them (SSH keys, folder outcomes, TTYs).
 */
package dk.sdu.cloud.im.kubevirt.agent;
