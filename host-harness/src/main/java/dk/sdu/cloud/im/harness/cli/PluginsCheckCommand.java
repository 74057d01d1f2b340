package dk.sdu.cloud.im.harness.cli;

import dk.sdu.cloud.im.harness.boot.HostVersion;
import dk.sdu.cloud.im.harness.plugins.PluginJarCheck;
import dk.sdu.cloud.im.harness.plugins.PluginJarReport;
import dk.sdu.cloud.im.harness.plugins.PluginJarReport.CheckedExtension;
import dk.sdu.cloud.im.spi.SpiVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code ucloud-im plugins check JAR...}. */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = {
                "Checks plugin jars before they are installed, each on its own: reports the PF4J descriptor (id, "
                        + "version, plugin class, requires), the SPI version it was built against ("
                        + SpiVersion.MANIFEST_ATTRIBUTE + ") and this host's, the extensions of "
                        + "META-INF/extensions.idx with their extension points and storage types, and the platform "
                        + "packages it bundles; then whether this host would load it and use it.",
                "The jar is loaded from a temporary copy exactly as a starting IM loads its plugins (its plugin "
                        + "class, if any, is started; no extension is created), so it is checked against this host's "
                        + "SPI and version; it is not checked against the plugins already installed. Needs no "
                        + "configuration and contacts no cluster.",
                "Exit status 0 when every jar is fit to install; 1 when any is not: this host would refuse it, it "
                        + "offers no extension (no or an empty META-INF/extensions.idx), or it bundles platform "
                        + "classes. A jar without " + SpiVersion.MANIFEST_ATTRIBUTE + " only gets a warning."
        })
final class PluginsCheckCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "JAR", description = "The plugin jars to check.")
    List<Path> jars;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return CliLogging.warningsOnly(this::checkAll);
    }

    private int checkAll() {
        PrintWriter out = spec.commandLine().getOut();
        Path work;
        try {
            work = Files.createTempDirectory("ucloud-im-plugins-check-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a temporary directory to load the jars from", e);
        }
        try {
            PluginJarCheck check = new PluginJarCheck(HostVersion.current().systemVersion(), work);
            boolean allOk = true;
            for (Path jar : jars) {
                PluginJarReport report = check.check(jar);
                print(out, report);
                allOk &= report.ok();
            }
            return allOk ? 0 : ImCommand.CANNOT_RUN;
        } finally {
            try {
                Files.deleteIfExists(work);
            } catch (IOException e) {
                // Only the empty directory is left behind: each jar's own directory is already gone.
                out.println("(could not remove the temporary directory " + work + ": " + e.getMessage() + ")");
            }
        }
    }

    private static void print(PrintWriter out, PluginJarReport report) {
        out.println(report.jar());
        out.println("  descriptor: " + (report.descriptor().isEmpty() ? "none (no PF4J keys in META-INF/MANIFEST.MF)"
                : report.descriptor().entrySet().stream().map(PluginsCheckCommand::keyValue)
                .collect(Collectors.joining(", "))));
        out.println("  SPI: built against " + report.spiVersion().orElse("(not recorded)") + " ("
                + SpiVersion.MANIFEST_ATTRIBUTE + "); this host's SPI is " + report.hostSpiVersion());
        out.println("  extension index: " + report.index()
                .map(names -> names.isEmpty() ? "empty" : String.join(", ", names))
                .orElse("none (no META-INF/extensions.idx)"));
        out.println("  extensions:" + (report.extensions().isEmpty() ? " none loaded" : ""));
        for (CheckedExtension extension : report.extensions()) {
            out.println("    " + extension.className() + "  " + (extension.extensionPoints().isEmpty()
                    ? "(implements no extension point of this host)"
                    : String.join(", ", extension.extensionPoints()))
                    + extension.storageType().map(type -> ", storage type " + type).orElse(""));
        }
        out.println("  storage types: " + (report.storageTypes().isEmpty() ? "none" : String.join(", ", report.storageTypes())));
        out.println("  bundled platform packages: " + (report.bundled().any()
                ? String.join(", ", report.bundled().packages()) + " (" + report.bundled().classes() + " classes)"
                : "none"));
        if (!report.warnings().isEmpty()) {
            out.println("  warnings:");
            report.warnings().forEach(w -> out.println("    " + w));
        }
        if (report.ok()) {
            out.println("  OK: this host would load it and use its extensions");
        } else {
            out.println("  NOT OK: this host would refuse it, or load it and get nothing or a broken plugin from it:");
            report.problems().forEach(p -> out.println("    " + p));
        }
    }

    private static String keyValue(Map.Entry<String, String> entry) {
        return entry.getKey() + " " + entry.getValue();
    }
}
