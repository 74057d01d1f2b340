/**
 * The agent that runs inside a virtual machine's guest (docs/agent-protocol.md): it mounts the job's folders
 * ({@code mounts}), keeps an authenticated control connection to the integration module ({@code control}),
 * keeps the job owner's SSH keys in {@code authorized_keys} ({@code keys}), serves shells in pseudo-terminals
 * ({@code tty}) and exits when a new agent was installed ({@code update}); {@code vmagent metrics} is the metrics
 * service ({@code metrics}). {@link dk.sdu.cloud.im.agent.AgentMain}
 * wires them.
 */
package dk.sdu.cloud.im.agent;
