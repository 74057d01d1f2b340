package dk.sdu.cloud.im.harness.plugins;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What {@link PluginJarCheck} found in one plugin jar, and whether this host would load and use it.
 *
 * @param jar            the jar checked
 * @param descriptor     the PF4J descriptor keys its manifest has ({@code Plugin-Id}, {@code Plugin-Version},
 *                       {@code Plugin-Class}, {@code Plugin-Requires}, {@code Plugin-Provider},
 *                       {@code Plugin-Description}), in that order; absent keys are left out
 * @param spiVersion     {@code Plugin-Spi-Version}: the SPI it was built against, when recorded
 * @param hostSpiVersion this host's SPI version
 * @param index          the class names of {@code META-INF/extensions.idx}; empty when the jar has no index
 * @param extensions     its extensions as the host sees them once it has loaded the plugin; empty when it
 *                       would not load
 * @param bundled        the platform classes it carries
 * @param problems       why this host would refuse it, or load it and get nothing or a broken plugin from it;
 *                       empty when it is fit to install
 * @param warnings       what is doubtful without stopping the host
 */
public record PluginJarReport(
        Path jar,
        Map<String, String> descriptor,
        Optional<String> spiVersion,
        String hostSpiVersion,
        Optional<List<String>> index,
        List<CheckedExtension> extensions,
        BundledPlatformClasses bundled,
        List<String> problems,
        List<String> warnings
) {
    public PluginJarReport {
        requireNonNull(jar, "jar is null");
        descriptor = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(descriptor, "descriptor is null")));
        requireNonNull(spiVersion, "spiVersion is null");
        requireNonNull(hostSpiVersion, "hostSpiVersion is null");
        index = requireNonNull(index, "index is null").map(List::copyOf);
        extensions = List.copyOf(extensions);
        requireNonNull(bundled, "bundled is null");
        problems = List.copyOf(problems);
        warnings = List.copyOf(warnings);
    }

    /** Whether this host would load the jar and use what it offers: no problems. */
    public boolean ok() {
        return problems.isEmpty();
    }

    /** The storage types its extensions offer, in the order of {@link #extensions()}. */
    public List<String> storageTypes() {
        return extensions.stream().flatMap(e -> e.storageType().stream()).toList();
    }

    /**
     * An extension of a checked jar, kept by name only: the check unloads the plugin before it reports.
     *
     * @param className       the extension class
     * @param extensionPoints the simple names of the host's extension points it implements; empty when none
     * @param storageType     its {@code @StorageType} name, for a VM disk storage
     */
    public record CheckedExtension(String className, List<String> extensionPoints, Optional<String> storageType) {
        public CheckedExtension {
            requireNonNull(className, "className is null");
            extensionPoints = List.copyOf(extensionPoints);
            requireNonNull(storageType, "storageType is null");
        }
    }
}
