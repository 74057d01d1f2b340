package dk.sdu.cloud.im.kubevirt.agent;

import dk.sdu.cloud.im.spi.compute.TerminalSize;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * The frames of the agent protocol ({@code docs/agent-protocol.md}): what the IM sends, and the checks of
 * what it receives. A frame that breaks the rules is a {@link ProtocolError}, whose message names the rule
 * and never repeats the frame (it may hold a token).
 */
final class AgentFrames {
    static final String HELLO = "hello";
    static final String HEARTBEAT = "heartbeat";
    static final String SSH_KEYS_APPLIED = "sshKeysApplied";
    static final String MOUNTS = "mounts";
    static final String TTY = "tty";
    static final String LOG = "log";
    /** The most lines one {@code log} frame may carry. */
    static final int MAX_LOG_LINES = 100;
    /** The longest line of a {@code log} frame, in characters. */
    static final int MAX_LOG_LINE_CHARS = 2000;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private AgentFrames() {
    }

    /** A frame that breaks the protocol; closes its connection with 4400 and the message as reason. */
    static final class ProtocolError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ProtocolError(String message) {
            super(message, null, false, false);
        }
    }

    /** The JSON object of a text frame, with a {@code type}. */
    static JsonNode parse(String text) {
        JsonNode frame;
        try {
            frame = JSON.readTree(text);
        } catch (JacksonException e) {
            throw new ProtocolError("the frame is not JSON");
        }
        if (frame == null || !frame.isObject()) {
            throw new ProtocolError("the frame is not a JSON object");
        }
        requiredString(frame, "type");
        return frame;
    }

    static String type(JsonNode frame) {
        return frame.get("type").asString();
    }

    /** A field that must be a non-empty string. */
    static String requiredString(JsonNode frame, String field) {
        JsonNode value = frame.get(field);
        if (value == null || !value.isString() || value.asString().isEmpty()) {
            throw new ProtocolError("'" + field + "' is missing or not a non-empty string");
        }
        return value.asString();
    }

    /** A field that, when present, must be a string; empty when absent. */
    static String optionalString(JsonNode frame, String field) {
        JsonNode value = frame.get(field);
        if (value == null || value.isNull()) {
            return "";
        }
        if (!value.isString()) {
            throw new ProtocolError("'" + field + "' is not a string");
        }
        return value.asString();
    }

    static JsonNode requiredArray(JsonNode frame, String field) {
        JsonNode value = frame.get(field);
        if (value == null || !value.isArray()) {
            throw new ProtocolError("'" + field + "' is missing or not an array");
        }
        return value;
    }

    /**
     * The lines of a {@code log} frame: {@code lines}, an array of at most {@link #MAX_LOG_LINES} strings of at
     * most {@link #MAX_LOG_LINE_CHARS} characters each.
     */
    static List<String> logLines(JsonNode frame) {
        JsonNode lines = requiredArray(frame, "lines");
        if (lines.size() > MAX_LOG_LINES) {
            throw new ProtocolError("a log frame carries at most " + MAX_LOG_LINES + " lines");
        }
        List<String> result = new java.util.ArrayList<>(lines.size());
        for (JsonNode line : lines) {
            if (!line.isString()) {
                throw new ProtocolError("'lines' must hold strings");
            }
            if (line.asString().length() > MAX_LOG_LINE_CHARS) {
                throw new ProtocolError("a log line is longer than " + MAX_LOG_LINE_CHARS + " characters");
            }
            result.add(line.asString());
        }
        return result;
    }

    /** The {@code dropped} count of a {@code log} frame: absent is 0; else a whole number from 0. */
    static long logDropped(JsonNode frame) {
        JsonNode dropped = frame.get("dropped");
        if (dropped == null || dropped.isNull()) {
            return 0;
        }
        if (!dropped.isIntegralNumber() || !dropped.canConvertToLong() || dropped.asLong() < 0) {
            throw new ProtocolError("'dropped' must be a whole number from 0");
        }
        return dropped.asLong();
    }

    static String welcome(String serverToken) {
        return object("welcome").put("serverToken", serverToken).toString();
    }

    static String heartbeat() {
        return object(HEARTBEAT).toString();
    }

    static String sshKeys(List<String> keys) {
        ObjectNode frame = object("sshKeys");
        ArrayNode array = frame.putArray("keys");
        keys.forEach(array::add);
        return frame.toString();
    }

    static String openTty(String token) {
        return object("openTty").put("token", token).toString();
    }

    static String ready() {
        return object("ready").toString();
    }

    static String initialize(TerminalSize size) {
        return object("initialize").put("cols", size.cols()).put("rows", size.rows()).toString();
    }

    /**
     * Keys for a TTY's shell: binary frames of their UTF-8 bytes, each at most {@link AgentEndpoint#MAX_FRAME_BYTES}
     * (larger input is split; the agent writes the bytes to the PTY as they are, so a split character is whole
     * again there). One array for all of it, no JSON: typing and pasting are the TTY's hot path.
     */
    static void keys(String data, Consumer<ByteBuffer> send) {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        for (int at = 0; at < bytes.length; at += AgentEndpoint.MAX_FRAME_BYTES) {
            send.accept(ByteBuffer.wrap(bytes, at, Math.min(AgentEndpoint.MAX_FRAME_BYTES, bytes.length - at)));
        }
    }

    static String resize(TerminalSize size) {
        return object("resize").put("cols", size.cols()).put("rows", size.rows()).toString();
    }

    private static ObjectNode object(String type) {
        return JSON.createObjectNode().put("type", type);
    }
}
