package dk.sdu.cloud.im.agent.socket;

import static java.util.Objects.requireNonNull;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Reads and writes the protocol's frames: one JSON object with a {@code type}. */
public final class Frames {
    private final JsonMapper json;

    public Frames(JsonMapper json) {
        this.json = requireNonNull(json, "json is null");
    }

    public ObjectNode create(String type) {
        var node = json.createObjectNode();
        node.put("type", type);
        return node;
    }

    public String write(JsonNode frame) {
        return json.writeValueAsString(frame);
    }

    /** Parses a frame; anything but a JSON object with a string {@code type} is a protocol error. */
    public Frame read(String text) throws ProtocolException {
        JsonNode node;
        try {
            node = json.readTree(text);
        } catch (JacksonException e) {
            throw ProtocolException.protocolError("frame is not JSON");
        }
        if (node == null || !node.isObject()) {
            throw ProtocolException.protocolError("frame is not a JSON object");
        }
        var type = node.get("type");
        if (type == null || !type.isString()) {
            throw ProtocolException.protocolError("frame has no type");
        }
        return new Frame(type.stringValue(), node);
    }

    /** A received frame. The accessors turn a missing or mistyped field into a protocol error. */
    public record Frame(String type, JsonNode body) {
        public String string(String field) throws ProtocolException {
            var node = body.get(field);
            if (node == null || !node.isString()) {
                throw ProtocolException.protocolError(type + "." + field + " missing or not a string");
            }
            return node.stringValue();
        }

        public int integer(String field, int min, int max) throws ProtocolException {
            var node = body.get(field);
            if (node == null || !node.isIntegralNumber() || !node.canConvertToInt()
                    || node.intValue() < min || node.intValue() > max) {
                throw ProtocolException.protocolError(type + "." + field + " missing or not in " + min + ".." + max);
            }
            return node.intValue();
        }

        public JsonNode array(String field) throws ProtocolException {
            var node = body.get(field);
            if (node == null || !node.isArray()) {
                throw ProtocolException.protocolError(type + "." + field + " missing or not a list");
            }
            return node;
        }
    }
}
