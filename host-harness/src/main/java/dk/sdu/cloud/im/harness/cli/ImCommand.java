package dk.sdu.cloud.im.harness.cli;

import dk.sdu.cloud.im.harness.boot.HostVersion;
import dk.sdu.cloud.im.harness.startup.StartupTrace;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

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
        })
public final class ImCommand {
    /**
     * The subcommands, in the order the help lists them. Added by {@link #commandLine(StartupTrace, String...)}
     * rather than named in the annotation: picocli builds the model of every command it is given (reflection over
     * each one's options and subcommands), which cost a short command a tenth of its start.
     */
    private static final List<Class<?>> SUBCOMMANDS = List.of(ServeCommand.class, JobsCommand.class, IpsCommand.class,
            RenderCommand.class, DemoCommand.class, PluginsCommand.class, ConfigCommand.class);

    /** Exit status when the configuration has problems (also picocli's status for bad usage). */
    public static final int CONFIG_PROBLEMS = 2;
    /** Exit status when the host cannot run. */
    public static final int CANNOT_RUN = 1;

    private final StartupTrace trace;

    private ImCommand(StartupTrace trace) {
        this.trace = trace;
    }

    public static void main(String[] args) {
        // First, so that the trace's first phase is the JVM's own start-up.
        StartupTrace trace = StartupTrace.fromSystemProperty();
        // Logback reads its configuration while picocli builds the command's model: neither needs the other, and
        // each is a tenth or more of a short command's start. Loggers asked for meanwhile are stand-ins that SLF4J
        // points at logback's once it is ready; the command runs only after that, so that it sees logback's levels.
        Thread logging = new Thread(() -> trace.run("logging (logback configuration)",
                LoggerFactory::getILoggerFactory), "ucloud-im-logging-setup");
        logging.start();
        CommandLine commandLine = trace.time("command line model (picocli)", () -> commandLine(trace, args));
        awaitLogging(logging);
        System.exit(commandLine.execute(args));
    }

    private static void awaitLogging(Thread logging) {
        boolean interrupted = false;
        while (logging.isAlive()) {
            try {
                logging.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The command line with its error handling, for tests; its start is traced as {@value StartupTrace#PROPERTY} says. */
    public static CommandLine commandLine() {
        return commandLine(StartupTrace.fromSystemProperty());
    }

    /** The command line with every subcommand and its error handling, whose commands record their start in {@code trace}. */
    public static CommandLine commandLine(StartupTrace trace) {
        return commandLine(trace, new String[0]);
    }

    /**
     * The command line to run {@code args} with, whose commands record their start in {@code trace}: with only the
     * subcommand {@code args} start with when they name one (its help and errors are the same), else with every
     * one (the top-level help lists them all; an unknown one gets picocli's suggestions).
     */
    static CommandLine commandLine(StartupTrace trace, String... args) {
        CommandLine commandLine = new CommandLine(new ImCommand(requireNonNull(trace, "trace is null")));
        Optional<Class<?>> named = args.length == 0 ? Optional.empty() : SUBCOMMANDS.stream()
                .filter(command -> command.getAnnotation(Command.class).name().equals(args[0])).findFirst();
        named.map(List::<Class<?>>of).orElse(SUBCOMMANDS).forEach(commandLine::addSubcommand);
        commandLine.setExecutionExceptionHandler((error, line, parsed) -> {
            line.getErr().println("ucloud-im: " + error);
            error.printStackTrace(line.getErr());
            return CANNOT_RUN;
        });
        return commandLine;
    }

    /** Where the commands record how long each phase of their start took. */
    StartupTrace trace() {
        return trace;
    }

    /** The trace of the command line {@code spec} belongs to (an {@link ImCommand}'s), else one that is off. */
    static StartupTrace traceOf(CommandLine.Model.CommandSpec spec) {
        return spec.root().userObject() instanceof ImCommand root ? root.trace() : StartupTrace.off();
    }

    /** Prints the trace's table to {@code err} when it is on. */
    static void printTrace(StartupTrace trace, PrintWriter err) {
        if (trace.enabled()) {
            err.println("startup trace (" + StartupTrace.PROPERTY + "; ms since the process started):");
            err.println(trace.table());
            err.println("CPU ms by thread (JVM threads included; digits at the end of a name summed as #):");
            err.print(StartupTrace.threadCpu(12));
            err.flush();
        }
    }

    /** The version from the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"ucloud-im " + HostVersion.current().version()};
        }
    }
}
