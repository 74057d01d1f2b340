package dk.sdu.cloud.im.harness.api;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a private network's subdomain may be. It names the network's Kubernetes objects (a Service and a
 * NetworkPolicy, DNS labels) and the members' label {@code ucloud.dk/network-<subdomain>}, whose name part is at
 * most 63 characters; prefixes that name the IM's own objects ({@code j-<job>}, {@code vm-...},
 * {@code policy-<job>}) are reserved, as UCloud's IM reserves them.
 */
final class SubdomainRules {
    /** UCloud's IM's reserved prefixes: a subdomain equal to one, or starting with one and a dash, is refused. */
    static final List<String> RESERVED_PREFIXES = List.of("j", "ucloud", "vm", "im", "policy");
    /** The longest subdomain: {@code network-<subdomain>} must be a label name of at most 63 characters. */
    static final int MAX_LENGTH = 63 - "network-".length();

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private SubdomainRules() {
    }

    /** Why the subdomain cannot be used, or empty when it can (uniqueness is the store's). */
    static Optional<String> problem(String subdomain) {
        if (subdomain == null || subdomain.isEmpty()) {
            return Optional.of("the subdomain is missing");
        }
        if (subdomain.length() > MAX_LENGTH || !DNS_LABEL.matcher(subdomain).matches()) {
            return Optional.of("the subdomain '" + printable(subdomain) + "' must be at most " + MAX_LENGTH
                    + " lowercase letters, digits and '-', starting and ending with a letter or digit (no dots)");
        }
        for (String prefix : RESERVED_PREFIXES) {
            if (subdomain.equals(prefix) || subdomain.startsWith(prefix + "-")) {
                return Optional.of("the subdomain '" + subdomain + "' is reserved (it must not be or start with "
                        + String.join("-, ", RESERVED_PREFIXES) + "-); try a different one");
            }
        }
        return Optional.empty();
    }

    static String printable(String value) {
        String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        StringBuilder out = new StringBuilder();
        shown.codePoints().forEach(c -> out.append(Character.isISOControl(c) ? "?" : Character.toString(c)));
        return out.toString();
    }
}
