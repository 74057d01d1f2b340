package dk.sdu.cloud.im.harness.plugins;

import java.util.List;

/**
 * The packages the host provides to every plugin and that no plugin may bring its own copy of: the SPI,
 * PF4J, fabric8, Jackson (3 and its 2.x annotations), Guice, {@code jakarta.inject} and SLF4J. Types of
 * these packages cross the host-plugin boundary, so each must be loaded once, by the host.
 */
public final class PlatformPackages {
    /** The package names; a class is a platform class when its package is one of these or below. */
    public static final List<String> PACKAGES = List.of(
            "dk.sdu.cloud.im.spi",
            "org.pf4j",
            "io.fabric8",
            "tools.jackson",
            "com.fasterxml.jackson",
            "com.google.inject",
            "jakarta.inject",
            "org.slf4j");

    private PlatformPackages() {
    }

    /** Whether a binary class name (e.g. {@code org.pf4j.Extension}) is in a platform package. */
    public static boolean isPlatformClass(String className) {
        for (String platformPackage : PACKAGES) {
            if (className.startsWith(platformPackage + ".")) {
                return true;
            }
        }
        return false;
    }

    /** Whether a jar entry (e.g. {@code org/pf4j/Extension.class}) is a class of a platform package. */
    public static boolean isPlatformClassEntry(String entryName) {
        return entryName.endsWith(".class") && isPlatformClass(entryName.replace('/', '.'));
    }
}
