package dk.sdu.cloud.im.harness.plugins;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The classes of platform packages ({@link PlatformPackages}) that a plugin jar carries. The host never loads
 * them (a plugin gets the host's copies), so at best they are dead weight and at worst a plugin built against
 * another version of the library, which fails at run time: with {@code NoSuchMethodError} where the host's
 * version differs, with {@code NoClassDefFoundError} where the host has no such class at all, as with Jackson 2
 * databind ({@code com.fasterxml.jackson.databind}; the platform's Jackson is 3, {@code tools.jackson}).
 *
 * @param classes         how many platform classes the jar carries
 * @param packages        the platform packages they are in, coarsely ({@code com.google.inject},
 *                        {@code com.fasterxml.jackson.databind}), sorted
 * @param missingPackages those of {@code packages} of which the host has not even one of the jar's classes
 */
public record BundledPlatformClasses(int classes, List<String> packages, List<String> missingPackages) {
    /** Nothing bundled. */
    public static final BundledPlatformClasses NONE = new BundledPlatformClasses(0, List.of(), List.of());

    /** Jackson 2 databind, which the platform does not provide. */
    static final String JACKSON_2_DATABIND = "com.fasterxml.jackson.databind";

    public BundledPlatformClasses {
        packages = List.copyOf(requireNonNull(packages, "packages is null"));
        missingPackages = List.copyOf(requireNonNull(missingPackages, "missingPackages is null"));
    }

    /** Whether the jar carries any platform class. */
    public boolean any() {
        return classes > 0;
    }

    /** What is wrong, for a person: one sentence, without the plugin's name. */
    public String describe() {
        StringBuilder text = new StringBuilder("bundles ").append(classes).append(classes == 1 ? " class" : " classes")
                .append(" of platform packages (").append(String.join(", ", packages))
                .append("); the host never loads them and gives the plugin its own copies");
        if (!missingPackages.isEmpty()) {
            text.append(", but it has none of ").append(String.join(", ", missingPackages))
                    .append(", so the plugin fails with NoClassDefFoundError when it uses them");
            if (missingPackages.contains(JACKSON_2_DATABIND)) {
                text.append(" (the platform's Jackson is 3: use tools.jackson.databind, with the Jackson 2 annotations)");
            }
        }
        return text.append("; build the plugin with these libraries as provided dependencies").toString();
    }
}
