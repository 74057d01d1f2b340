package dk.sdu.cloud.im.agent.config;

/** The configuration cannot be used; the message names the file and what is wrong, never a token's value. */
public final class AgentConfigException extends Exception {
    public AgentConfigException(String message) {
        super(message);
    }
}
