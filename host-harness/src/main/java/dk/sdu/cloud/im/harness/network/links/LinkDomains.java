package dk.sdu.cloud.im.harness.network.links;

import java.util.Optional;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Which domains a public link may have: {@code <prefix><name><suffix>} with the provider's configured prefix and
 * suffix ({@code services.compute.publicLinks}). UCloud/IM's rules for the name: at least 5 characters, starting
 * with a letter, not ending with a dash. Unlike UCloud/IM, the name must be a DNS label (lowercase letters,
 * digits and inner dashes, at most 63 characters) and underscores are refused: the domain becomes the host of a
 * Kubernetes Ingress, which must be a DNS-1123 subdomain, and UCloud/IM's unanchored pattern let through names
 * that no Ingress accepts.
 *
 * @param prefix what every domain starts with (may be empty)
 * @param suffix what every domain ends with
 */
public record LinkDomains(String prefix, String suffix) {
    /** The shortest name UCloud accepts. */
    public static final int MIN_NAME_LENGTH = 5;
    /** The longest DNS label. */
    public static final int MAX_NAME_LENGTH = 63;
    /** The longest domain name. */
    public static final int MAX_DOMAIN_LENGTH = 253;

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*[a-z0-9]");

    public LinkDomains {
        requireNonNull(prefix, "prefix is null");
        requireNonNull(suffix, "suffix is null");
    }

    /** Why {@code domain} cannot be a public link here, or empty when it can. */
    public Optional<String> problem(String domain) {
        if (domain == null || domain.isBlank()) {
            return Optional.of("the domain is missing (specification.domain)");
        }
        String shown = "'" + printable(domain) + "'";
        if (!domain.startsWith(prefix) || !domain.endsWith(suffix)
                || domain.length() < prefix.length() + suffix.length()) {
            return Optional.of("domain " + shown + " must have the form " + prefix + "<name>" + suffix);
        }
        if (domain.length() > MAX_DOMAIN_LENGTH) {
            return Optional.of("domain " + shown + " is longer than " + MAX_DOMAIN_LENGTH + " characters");
        }
        String name = domain.substring(prefix.length(), domain.length() - suffix.length());
        if (name.length() < MIN_NAME_LENGTH) {
            return Optional.of("domain " + shown + ": the name '" + printable(name) + "' between " + quoted(prefix)
                    + " and " + quoted(suffix) + " must be at least " + MIN_NAME_LENGTH + " characters long");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            return Optional.of("domain " + shown + ": the name must be at most " + MAX_NAME_LENGTH
                    + " characters long (a DNS label)");
        }
        if (name.endsWith("-") || name.endsWith("_")) {
            return Optional.of("domain " + shown + ": the name cannot end with a dash or underscore");
        }
        if (!NAME.matcher(name).matches()) {
            return Optional.of("domain " + shown + ": the name '" + printable(name) + "' must start with a letter and "
                    + "contain only lowercase letters a-z, digits 0-9 and dashes");
        }
        return Optional.empty();
    }

    private static String quoted(String part) {
        return part.isEmpty() ? "the start" : "'" + part + "'";
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(300).forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
