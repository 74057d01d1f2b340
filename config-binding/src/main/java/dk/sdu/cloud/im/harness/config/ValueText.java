package dk.sdu.cloud.im.harness.config;

import tools.jackson.databind.JsonNode;

/** How configuration values are quoted in problem messages. */
public final class ValueText {
    private static final int MAX_LENGTH = 80;

    private ValueText() {
    }

    /** {@code 'text'} for a scalar, the keys for a section, the items for a list; long values shortened. */
    public static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isNull()) {
            return "an empty value";
        }
        if (node.isObject()) {
            return "a section with keys " + shorten(String.join(", ", node.propertyNames()), "[", "]");
        }
        if (node.isArray()) {
            return "a list " + shorten(node.toString(), "", "");
        }
        return shorten(node.asString(), "'", "'");
    }

    private static String shorten(String text, String open, String close) {
        String body = text.length() > MAX_LENGTH ? text.substring(0, MAX_LENGTH) + "..." : text;
        return open + body + close;
    }
}
