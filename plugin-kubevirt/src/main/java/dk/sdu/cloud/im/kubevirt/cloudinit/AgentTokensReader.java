package dk.sdu.cloud.im.kubevirt.cloudinit;

import dk.sdu.cloud.im.kubevirt.admission.GuestLayout;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Reads a job's agent tokens back from the user data that {@link CloudInitRenderer} wrote: the agent's
 * configuration file in {@code write_files}. A restarted IM, or a start repeated, keeps the tokens a guest
 * may already have booted with, instead of making new ones the guest never sees (cloud-init runs once).
 */
public final class AgentTokensReader {
    private final YAMLMapper yaml = YAMLMapper.builder().build();
    private final JsonMapper json = JsonMapper.builder().build();

    /**
     * The tokens in user data as a Secret holds it (base64), or empty when there is none, it is not base64, or
     * it holds no tokens.
     */
    public Optional<AgentTokens> readEncoded(String base64UserData) {
        if (base64UserData == null) {
            return Optional.empty();
        }
        try {
            return read(new String(Base64.getDecoder().decode(base64UserData), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
    }

    /** The tokens in the user data, or empty when it holds none (or is not what the renderer writes). */
    public Optional<AgentTokens> read(String userData) {
        requireNonNull(userData, "userData is null");
        try {
            JsonNode document = yaml.readTree(userData);
            for (JsonNode file : document.path("write_files")) {
                if (GuestLayout.AGENT_CONFIG_FILE.equals(file.path("path").asString(null))) {
                    JsonNode config = json.readTree(file.path("content").asString(""));
                    String agent = config.path("agentToken").asString("");
                    String server = config.path("serverToken").asString("");
                    return agent.isEmpty() || server.isEmpty() ? Optional.empty()
                            : Optional.of(new AgentTokens(agent, server));
                }
            }
            return Optional.empty();
        } catch (JacksonException notOurs) {
            return Optional.empty();
        }
    }
}
