package dk.sdu.cloud.im.harness.plugins;

import dk.sdu.cloud.im.spi.SpiVersion;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * What the host checks in a plugin jar besides PF4J's descriptor, read without loading any class: the SPI
 * version it was built against and the platform classes it bundles. Only the jar's own entries count: the
 * host's jar loader puts no nested jar ({@code lib/*.jar}) on a plugin's class path.
 *
 * @param spiVersion {@value SpiVersion#MANIFEST_ATTRIBUTE}, when the manifest has it
 * @param bundled    the platform classes it carries
 */
record PluginJarContents(Optional<String> spiVersion, BundledPlatformClasses bundled) {

    /**
     * @param jar  the plugin jar
     * @param host the class loader the platform classes come from, to tell which of them it lacks
     */
    static PluginJarContents read(Path jar, ClassLoader host) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String spi = manifest == null ? null : manifest.getMainAttributes().getValue(SpiVersion.MANIFEST_ATTRIBUTE);
            int classes = 0;
            Set<String> packages = new TreeSet<>();
            Set<String> present = new TreeSet<>();
            for (JarEntry entry : Collections.list(file.entries())) {
                String name = entry.getName();
                if (!PlatformPackages.isPlatformClassEntry(name) || name.endsWith("module-info.class")) {
                    continue;
                }
                classes++;
                String group = groupOf(name);
                packages.add(group);
                if (host.getResource(name) != null) {
                    present.add(group);
                }
            }
            Set<String> missing = new TreeSet<>(packages);
            missing.removeAll(present);
            return new PluginJarContents(
                    Optional.ofNullable(spi).map(String::strip).filter(s -> !s.isEmpty()),
                    classes == 0 ? BundledPlatformClasses.NONE
                            : new BundledPlatformClasses(classes, packages.stream().toList(), missing.stream().toList()));
        }
    }

    /**
     * The platform package an entry belongs to; Jackson's by its library ({@code com.fasterxml.jackson.databind}),
     * since the host has some Jackson 2 libraries and not others.
     */
    private static String groupOf(String entryName) {
        String className = entryName.substring(0, entryName.length() - ".class".length()).replace('/', '.');
        for (String platformPackage : PlatformPackages.PACKAGES) {
            if (className.startsWith(platformPackage + ".")) {
                if (platformPackage.equals("com.fasterxml.jackson")) {
                    String rest = className.substring(platformPackage.length() + 1);
                    int dot = rest.indexOf('.');
                    return dot < 0 ? platformPackage : platformPackage + "." + rest.substring(0, dot);
                }
                return platformPackage;
            }
        }
        throw new IllegalArgumentException(entryName + " is not a platform class");
    }

}
