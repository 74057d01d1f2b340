package dk.sdu.cloud.im.kubevirt.cloudinit;

import static java.util.Objects.requireNonNull;

/**
 * The pair of tokens with which a job's agent and the IM prove themselves to each other: the agent dials
 * the IM with {@code agentToken}; the IM answers with {@code serverToken}, which the agent checks.
 *
 * @param agentToken  the token the agent presents
 * @param serverToken the token the agent expects back from the IM
 */
public record AgentTokens(String agentToken, String serverToken) {
    public AgentTokens {
        requireNonNull(agentToken, "agentToken is null");
        requireNonNull(serverToken, "serverToken is null");
        if (agentToken.isEmpty() || serverToken.isEmpty()) {
            throw new IllegalArgumentException("agent tokens must not be empty");
        }
    }

    /** Stand-ins for showing manifests to people ({@code render}); never for a real job. */
    public static AgentTokens placeholders() {
        return new AgentTokens("<agent-token>", "<server-token>");
    }

    /** Keeps the tokens out of logs and exception messages. */
    @Override
    public String toString() {
        return "AgentTokens[redacted]";
    }
}
