package dk.sdu.cloud.im.harness.settings;

import dk.sdu.cloud.im.spi.host.Product.Fraction;
import tools.jackson.databind.JsonNode;

/**
 * Reads {@code fraction} of a machine group as UCloud's IM does: the text {@code "n / d"} (spaces are
 * ignored) or a mapping {@code {numerator: n, denominator: d}}, with {@code d > 0} and {@code n >= 0}.
 */
final class FractionValues {
    private FractionValues() {
    }

    /**
     * @throws IllegalArgumentException saying what is wrong and how to write it
     */
    static Fraction parse(JsonNode node) {
        int numerator;
        int denominator;
        if (node.isObject()) {
            for (String key : node.propertyNames()) {
                if (!key.equals("numerator") && !key.equals("denominator")) {
                    throw new IllegalArgumentException("unknown key '" + key + "'; a fraction is written as "
                            + "'numerator / denominator' or {numerator: n, denominator: d}");
                }
            }
            numerator = integer(node.get("numerator"), "numerator");
            denominator = integer(node.get("denominator"), "denominator");
        } else if (node.isValueNode() && !node.isNull()) {
            String text = node.asString().replace(" ", "").strip();
            String[] parts = text.split("/", -1);
            if (parts.length != 2) {
                throw new IllegalArgumentException("must be written as 'numerator / denominator' (e.g. \"1 / 7\") "
                        + "or {numerator: n, denominator: d}, got '" + node.asString() + "'");
            }
            numerator = integer(parts[0], "numerator", node.asString());
            denominator = integer(parts[1], "denominator", node.asString());
        } else {
            throw new IllegalArgumentException("must be 'numerator / denominator' or {numerator: n, denominator: d}");
        }
        if (denominator <= 0) {
            throw new IllegalArgumentException("denominator must be greater than zero, got " + denominator);
        }
        if (numerator < 0) {
            throw new IllegalArgumentException("numerator must not be negative, got " + numerator);
        }
        return new Fraction(numerator, denominator);
    }

    private static int integer(JsonNode node, String key) {
        if (node == null || node.isNull()) {
            // UCloud's IM reads a missing key as 0, so a missing denominator is "not greater than zero".
            return 0;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new IllegalArgumentException(key + " must be an integer, got '" + node.asString() + "'");
        }
        return node.intValue();
    }

    private static int integer(String text, String key, String whole) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer in '" + whole + "'");
        }
    }
}
