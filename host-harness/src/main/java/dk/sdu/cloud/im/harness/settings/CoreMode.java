package dk.sdu.cloud.im.harness.settings;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Which UCloud/Core the IM talks to ({@code harness.core.mode}). */
public enum CoreMode {
    /** A real Core at {@code provider.hosts.ucloud}, with the refresh token of {@code server.yml}. */
    @JsonProperty("remote") REMOTE,
    /**
     * The harness plays Core in-process on loopback, with its own key pair and refresh token in
     * {@code <harness.dataDirectory>/core/}: for trying the IM and for tests; no real Core is told anything.
     */
    @JsonProperty("local") LOCAL;

    /** The name used in the configuration file. */
    public String configName() {
        return this == REMOTE ? "remote" : "local";
    }
}
