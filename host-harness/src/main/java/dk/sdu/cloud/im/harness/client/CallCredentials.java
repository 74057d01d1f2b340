package dk.sdu.cloud.im.harness.client;

import java.util.Map;

/**
 * What {@link HarnessClient} sends to be accepted by the IM, as the IM's {@code harness.auth.mode} expects:
 * {@link StaticTokenCredentials} (mode {@code token}), {@link SignedCoreCredentials} (mode {@code jwt}: Core's
 * signed token) or {@link GatewayCredentials} (mode {@code gateway}: what the gateway would forward).
 * Implementations are safe to call from many threads at once.
 */
public interface CallCredentials {
    /** The headers to add to the next request. */
    Map<String, String> headers();

    /** What to tell the user when the IM refuses them (HTTP 401), e.g. which setting to check. */
    String refusalHint();
}
