package dk.sdu.cloud.im.harness.api;

import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Reads request bodies and turns JSON into the job model, with errors that say where the problem is in
 * the caller's terms (a JSON path such as {@code items[0].specification.replicas}), never in Java's.
 */
final class RequestBodies {
    private static final int MAX_QUOTED = 60;

    private final JsonMapper mapper;

    RequestBodies(JsonMapper mapper) {
        this.mapper = requireNonNull(mapper, "mapper is null");
    }

    /** The body as a JSON tree. */
    JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw ApiException.badRequest("the request body is empty; expected a JSON object");
        }
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (StreamReadException e) {
            throw ApiException.badRequest("malformed JSON" + where(e.getLocation()) + ": " + firstLine(
                    e.getOriginalMessage()));
        } catch (JacksonException e) {
            throw ApiException.badRequest("malformed JSON: " + firstLine(e.getOriginalMessage()));
        }
        if (root == null || root.isMissingNode()) {
            throw ApiException.badRequest("the request body is empty; expected a JSON object");
        }
        if (!root.isObject()) {
            throw ApiException.badRequest("the request body must be a JSON object, got " + describe(root));
        }
        return root;
    }

    /**
     * The {@code items} of a bulk request. An empty bulk is refused: Core never sends one, so it is a
     * caller's mistake, and answering it with an empty success would hide that.
     */
    List<JsonNode> items(JsonNode root) {
        return itemsOf(root);
    }

    /** {@link #items}, for calls served outside this package ({@link ProviderCall#items}). */
    static List<JsonNode> itemsOf(JsonNode root) {
        JsonNode items = root.get("items");
        if (items == null || items.isMissingNode()) {
            throw ApiException.badRequest("missing 'items': a bulk request is {\"items\": [...]}");
        }
        if (!items.isArray()) {
            throw ApiException.badRequest("'items' must be an array, got " + describe(items));
        }
        if (items.isEmpty()) {
            throw ApiException.badRequest("'items' is empty: nothing to do");
        }
        List<JsonNode> result = new ArrayList<>();
        items.forEach(result::add);
        return result;
    }

    /**
     * Converts a JSON value to a model type.
     *
     * @param path where the value is in the request, for messages (e.g. {@code items[2]})
     */
    <T> Converted<T> convert(JsonNode node, Class<T> type, String path) {
        try {
            T value = mapper.treeToValue(node, type);
            if (value == null) {
                return Converted.problem(path + ": expected " + expected(type) + ", got null");
            }
            return Converted.of(value);
        } catch (JacksonException e) {
            return Converted.problem(explain(e, node, path));
        }
    }

    /** A short description of a JSON value for messages, e.g. {@code the string "two"}. */
    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isNull()) {
            return "null";
        }
        if (node.isString()) {
            return "the string \"" + truncate(node.asString()) + "\"";
        }
        if (node.isNumber()) {
            return "the number " + truncate(node.toString());
        }
        if (node.isBoolean()) {
            return node.toString();
        }
        if (node.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private String explain(JacksonException e, JsonNode root, String basePath) {
        List<JacksonException.Reference> references = e.getPath();
        String path = basePath + pathOf(references);
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            JsonNode actual = nodeAt(root, references);
            return path + ": expected " + expected(mismatch.getTargetType()) + ", got " + describe(actual);
        }
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        String message = cause instanceof JacksonException jackson ? jackson.getOriginalMessage() : cause.getMessage();
        return path + ": " + withoutJavaNames(firstLine(String.valueOf(message)));
    }

    private static String pathOf(List<JacksonException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : references) {
            if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            } else if (reference.getPropertyName() != null) {
                path.append('.').append(reference.getPropertyName());
            }
        }
        return path.toString();
    }

    private static JsonNode nodeAt(JsonNode root, List<JacksonException.Reference> references) {
        JsonNode node = root;
        for (JacksonException.Reference reference : references) {
            if (node == null) {
                return null;
            }
            node = reference.getIndex() >= 0 ? node.get(reference.getIndex()) : node.get(reference.getPropertyName());
        }
        return node;
    }

    private static String expected(Class<?> type) {
        if (type == String.class || CharSequence.class.isAssignableFrom(type)) {
            return "a string";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == int.class || type == long.class || type == short.class || type == byte.class
                || type == Integer.class || type == Long.class || type == Short.class || type == Byte.class
                || type == BigInteger.class) {
            return "an integer";
        }
        if (type == double.class || type == float.class || type == Double.class || type == Float.class
                || type == BigDecimal.class || type == Number.class) {
            return "a number";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining(", "));
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }

    private static String where(TokenStreamLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "not valid";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** Turns {@code `dk.sdu.Foo`} into {@code `Foo`}: the caller needs the field, not our class names. */
    private static String withoutJavaNames(String message) {
        return message.replaceAll("`(?:[a-z_][a-z0-9_]*\\.)+([A-Za-z0-9_$]+)`", "`$1`");
    }

    private static String truncate(String text) {
        return text.length() <= MAX_QUOTED ? text : text.substring(0, MAX_QUOTED) + "...";
    }

    /** A converted value, or what was wrong with it. */
    record Converted<T>(T value, String problem) {
        static <T> Converted<T> of(T value) {
            return new Converted<>(requireNonNull(value, "value is null"), null);
        }

        static <T> Converted<T> problem(String problem) {
            return new Converted<>(null, requireNonNull(problem, "problem is null"));
        }

        boolean ok() {
            return problem == null;
        }
    }
}
