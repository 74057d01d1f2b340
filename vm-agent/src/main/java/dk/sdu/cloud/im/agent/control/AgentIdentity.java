package dk.sdu.cloud.im.agent.control;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.util.Base64;

/** This agent run: its version, and the random {@code startId} that tells the IM a reconnect from a restart. */
public record AgentIdentity(String agentVersion, String startId) {
    public AgentIdentity {
        requireNonNull(agentVersion, "agentVersion is null");
        requireNonNull(startId, "startId is null");
    }

    public static AgentIdentity newStart(String agentVersion, SecureRandom random) {
        var bytes = new byte[16];
        random.nextBytes(bytes);
        return new AgentIdentity(agentVersion, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }
}
