package dk.sdu.cloud.im.harness.sockets;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A frame a UCloud client sends on one of the provider's websocket calls (the shell, the follow stream):
 * {@code {"call": "...", "streamId": "...", "payload": {"type": "...", ...}}}, checked once for both.
 *
 * @param streamId the client's stream id, or null when the frame carries none
 * @param type     the payload's type
 * @param payload  the payload, a JSON object
 */
public record UCloudRequestFrame(String streamId, String type, JsonNode payload) {
    // One JSON object per frame: trailing tokens are a malformed frame, not a second one.
    private static final JsonMapper STRICT_JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    public UCloudRequestFrame {
        requireNonNull(type, "type is null");
        requireNonNull(payload, "payload is null");
    }

    /**
     * The frame read from a text message, or what is wrong with it (for the client's 400 response).
     *
     * @param frame   the frame, when it is well formed
     * @param problem what is wrong with it otherwise
     */
    public record Read(Optional<UCloudRequestFrame> frame, String problem) {
        public Read {
            requireNonNull(frame, "frame is null");
        }

        static Read of(UCloudRequestFrame frame) {
            return new Read(Optional.of(frame), null);
        }

        static Read refused(String problem) {
            return new Read(Optional.empty(), requireNonNull(problem, "problem is null"));
        }
    }

    /**
     * Reads and checks one frame.
     *
     * @param text         the text message
     * @param call         the call name the frame must carry, e.g. {@code jobs.provider.<id>.follow}
     * @param callRequired whether a frame without {@code call} is refused (UCloud's shell frames may omit it)
     */
    public static Read read(String text, String call, boolean callRequired) {
        requireNonNull(call, "call is null");
        JsonNode frame;
        try {
            frame = STRICT_JSON.readTree(text);
        } catch (JacksonException e) {
            return Read.refused("a frame must be one JSON object; this one is not JSON");
        }
        if (frame == null || !frame.isObject()) {
            return Read.refused("a frame must be one JSON object");
        }
        JsonNode frameCall = frame.get("call");
        boolean absent = frameCall == null || frameCall.isNull();
        if (absent ? callRequired : !(frameCall.isString() && call.equals(frameCall.asString()))) {
            return Read.refused("'call' must be '" + call + "'");
        }
        JsonNode stream = frame.get("streamId");
        if (stream != null && !stream.isString()) {
            return Read.refused("'streamId' must be a string");
        }
        JsonNode payload = frame.get("payload");
        if (payload == null || !payload.isObject()) {
            return Read.refused("'payload' must be an object");
        }
        if (payload.get("type") == null || !payload.get("type").isString()) {
            return Read.refused("'payload.type' must be a string");
        }
        return Read.of(new UCloudRequestFrame(stream == null ? null : stream.asString(),
                payload.get("type").asString(), payload));
    }
}
