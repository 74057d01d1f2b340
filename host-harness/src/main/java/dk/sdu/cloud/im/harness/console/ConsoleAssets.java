package dk.sdu.cloud.im.harness.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The console page's files, read from the class path: the page's own ({@code app/}), and the libraries taken as
 * versioned packages at build time: xterm.js and uPlot from their webjars, noVNC from the npm registry's tarball
 * (host-harness/pom.xml). A URL names a library and a file in it; nothing else of the class path can be reached (no segment starts
 * with a dot).
 */
public final class ConsoleAssets {
    /** The URL prefix of the files: {@code /console/assets/<library>/<file>}. */
    public static final String PREFIX = "/console/assets/";
    private static final String OWN = "dk/sdu/cloud/im/harness/console/";
    private static final Pattern FILE = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*\\.(js|css|html)");
    private static final Map<String, String> TYPES = Map.of(
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "html", "text/html; charset=utf-8");

    private final ClassLoader loader;
    private final Map<String, String> roots;

    /**
     * @param loader where the files are
     * @throws IllegalStateException when the libraries' versions are not on the class path (a broken build)
     */
    public ConsoleAssets(ClassLoader loader) {
        this.loader = requireNonNull(loader, "loader is null");
        Properties versions = new Properties();
        try (InputStream in = loader.getResourceAsStream(OWN + "assets.properties")) {
            if (in == null) {
                throw new IllegalStateException(OWN + "assets.properties is not on the class path");
            }
            versions.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.roots = Map.of(
                "app", OWN + "app/",
                "xterm", "META-INF/resources/webjars/xterm/" + versions.getProperty("xterm") + "/",
                "uplot", "META-INF/resources/webjars/uplot/" + versions.getProperty("uplot") + "/",
                "novnc", "console/novnc/package/");
    }

    /**
     * A file and its content type.
     *
     * @param contentType the HTTP content type
     * @param bytes       the file
     */
    public record Asset(String contentType, byte[] bytes) {
        public Asset {
            requireNonNull(contentType, "contentType is null");
            requireNonNull(bytes, "bytes is null");
        }
    }

    /** The file {@code file} of {@code library}; empty when there is no such file or the name is not allowed. */
    public Optional<Asset> find(String library, String file) {
        String root = library == null ? null : roots.get(library);
        if (root == null || file == null || !FILE.matcher(file).matches()) {
            return Optional.empty();
        }
        try (InputStream in = loader.getResourceAsStream(root + file)) {
            if (in == null) {
                return Optional.empty();
            }
            String extension = file.substring(file.lastIndexOf('.') + 1);
            return Optional.of(new Asset(TYPES.get(extension), in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The console page. */
    public Asset page() {
        return find("app", "console.html").orElseThrow(() -> new IllegalStateException(
                OWN + "app/console.html is not on the class path"));
    }
}
