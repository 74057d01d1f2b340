package dk.sdu.cloud.im.agent.control;

import static java.util.Objects.requireNonNull;

import dk.sdu.cloud.im.agent.guest.GuestDescription;

import java.security.SecureRandom;
import java.util.Optional;
import java.util.Base64;

/**
 * This agent run: its version, the random {@code startId} that tells the IM a reconnect from a restart, and
 * what it says of its guest in the {@code hello} (the operating system and address, when known).
 */
public record AgentIdentity(String agentVersion, String startId, GuestDescription guest) {
    public AgentIdentity {
        requireNonNull(agentVersion, "agentVersion is null");
        requireNonNull(startId, "startId is null");
        requireNonNull(guest, "guest is null");
    }

    /** A run that says nothing of its guest. */
    public AgentIdentity(String agentVersion, String startId) {
        this(agentVersion, startId, new GuestDescription(Optional.empty(), Optional.empty()));
    }

    /** The same run, saying this of its guest. */
    public AgentIdentity describing(GuestDescription description) {
        return new AgentIdentity(agentVersion, startId, description);
    }

    public static AgentIdentity newStart(String agentVersion, SecureRandom random) {
        var bytes = new byte[16];
        random.nextBytes(bytes);
        return new AgentIdentity(agentVersion, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }
}
