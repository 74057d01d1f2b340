package dk.sdu.cloud.im.harness.cli;

import dk.sdu.cloud.im.harness.boot.HostVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ucloud-im}: the IM host's command line. Exit status: 0 success, 1 the host cannot run (plugins,
 * wiring, unexpected errors), 2 bad usage or a configuration with problems.
 */
@Command(
        name = "ucloud-im",
        mixinStandardHelpOptions = true,
        versionProvider = ImCommand.Version.class,
        description = {
                "The UCloud integration module (IM) host for Kubernetes.",
                "Loads plugin jars (compute and VM disk storage backends) from a plugins directory and wires them "
                        + "with one YAML configuration file."
        },
        subcommands = {ServeCommand.class, JobsCommand.class, IpsCommand.class, RenderCommand.class, DemoCommand.class,
                PluginsCommand.class,
                ConfigCommand.class})
public final class ImCommand {

    /** Exit status when the configuration has problems (also picocli's status for bad usage). */
    public static final int CONFIG_PROBLEMS = 2;
    /** Exit status when the host cannot run. */
    public static final int CANNOT_RUN = 1;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with its error handling, for {@link #main} and tests. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new ImCommand());
        commandLine.setExecutionExceptionHandler((error, line, parsed) -> {
            line.getErr().println("ucloud-im: " + error);
            error.printStackTrace(line.getErr());
            return CANNOT_RUN;
        });
        return commandLine;
    }

    /** The version from the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"ucloud-im " + HostVersion.current().version()};
        }
    }
}
