package dk.sdu.cloud.im.harness.core;

import tools.jackson.databind.JsonNode;

import java.util.Map;

/**
 * Calls to UCloud/Core's API on behalf of this provider, authenticated with the provider's access token.
 * Paths are Core's ({@code /api/jobs/control/update}); bodies and answers are JSON. An implementation renews the
 * access token itself and retries what may succeed later; what it throws is final for this call.
 *
 * <p>Typed calls ({@code CoreJobControl}, the drive directory, SSH keys) are built on this, so that each is
 * tested against a fake transport and the real one is tested once against the harness's Core.
 */
public interface CoreTransport {

    /** {@code POST path} with {@code body} written as JSON; Core's answer (a {@code NullNode} when empty). */
    JsonNode post(String path, Object body) throws CoreCallException;

    /** {@code GET path?query}; the query's values are URL-encoded here. */
    JsonNode get(String path, Map<String, String> query) throws CoreCallException;
}
