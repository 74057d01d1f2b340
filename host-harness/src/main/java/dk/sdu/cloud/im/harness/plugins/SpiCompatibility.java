package dk.sdu.cloud.im.harness.plugins;

import dk.sdu.cloud.im.spi.SpiVersion;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a plugin built against one SPI version can run on a host with another. Versions are
 * {@code MAJOR.MINOR.PATCH} with an optional qualifier ({@code -SNAPSHOT}), which is ignored.
 *
 * <ul>
 *   <li>From 1.0 on: the majors must be equal and the plugin's minor must not be newer than the host's
 *       (a minor only adds to the SPI; a major may change or remove anything; a patch changes no contract).</li>
 *   <li>In 0.x the minor acts as the major and the patch as the minor: the minors must be equal and the
 *       plugin's patch must not be newer than the host's.</li>
 * </ul>
 */
final class SpiCompatibility {
    private static final Pattern VERSION = Pattern.compile("(\\d{1,9})\\.(\\d{1,9})(?:\\.(\\d{1,9}))?(?:-[A-Za-z0-9.]+)?");

    private SpiCompatibility() {
    }

    /** Why a plugin built against {@code plugin} cannot run on SPI {@code host}; empty when it can. */
    static Optional<String> problem(String plugin, String host) {
        Matcher p = VERSION.matcher(plugin.strip());
        Matcher h = VERSION.matcher(host.strip());
        if (!h.matches()) {
            throw new IllegalStateException("the host's SPI version '" + host + "' is not MAJOR.MINOR.PATCH");
        }
        if (!p.matches()) {
            return Optional.of("its " + SpiVersion.MANIFEST_ATTRIBUTE + " '" + plugin + "' is not a version (expected "
                    + "MAJOR.MINOR.PATCH, the im-spi version it was built against)");
        }
        int[] pv = numbers(p);
        int[] hv = numbers(h);
        String built = "it was built against SPI " + plugin.strip() + " (" + SpiVersion.MANIFEST_ATTRIBUTE
                + "), this host's SPI is " + host.strip();
        if (pv[0] != hv[0]) {
            return Optional.of(built + ": a different major version; rebuild it against im-spi " + hv[0] + ".x");
        }
        if (hv[0] == 0) {
            if (pv[1] != hv[1]) {
                return Optional.of(built + ": before 1.0 a different minor version is a different SPI; rebuild it "
                        + "against im-spi 0." + hv[1] + ".x");
            }
            if (pv[2] > hv[2]) {
                return Optional.of(built + ": a newer SPI than the host's; update the host, or rebuild the plugin "
                        + "against im-spi 0." + hv[1] + "." + hv[2]);
            }
            return Optional.empty();
        }
        if (pv[1] > hv[1]) {
            return Optional.of(built + ": a newer SPI than the host's; update the host, or rebuild the plugin "
                    + "against im-spi " + hv[0] + "." + hv[1]);
        }
        return Optional.empty();
    }

    private static int[] numbers(Matcher m) {
        return new int[]{Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3))};
    }
}
