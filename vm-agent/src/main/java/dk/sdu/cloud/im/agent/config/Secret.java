package dk.sdu.cloud.im.agent.config;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A token. It never shows itself in {@link #toString()}, so it cannot end up in a log line or an
 * exception message by accident, and it is compared in constant time.
 */
public final class Secret {
    private final String value;

    public Secret(String value) {
        this.value = requireNonNull(value, "value is null");
    }

    /** The token itself, for the one place that must send it. */
    public String reveal() {
        return value;
    }

    /** Whether {@code candidate} is this token; the time taken does not depend on where they differ. */
    public boolean matches(String candidate) {
        if (candidate == null) {
            return false;
        }
        return MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "(secret)";
    }
}
