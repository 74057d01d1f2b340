package dk.sdu.cloud.im.harness.settings;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How {@code ucloud-im serve} tells that a request comes from UCloud/Core ({@code harness.auth.mode}). */
public enum AuthMode {
    /** The IM checks Core's signed token (RS256) with Core's public key for this provider. */
    @JsonProperty("jwt") JWT,
    /**
     * A gateway in front of the IM checked Core's token (UCloud's Envoy setup): the IM trusts its forwarded claims
     * when it also sends the shared secret.
     */
    @JsonProperty("gateway") GATEWAY,
    /** A fixed bearer token ({@code harness.token}): for the harness and tests, not for a real UCloud. */
    @JsonProperty("token") TOKEN;

    /** The name used in the configuration file. */
    public String configName() {
        return switch (this) {
            case JWT -> "jwt";
            case GATEWAY -> "gateway";
            case TOKEN -> "token";
        };
    }
}
