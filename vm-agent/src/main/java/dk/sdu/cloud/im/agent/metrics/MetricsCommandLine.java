package dk.sdu.cloud.im.agent.metrics;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The command line of {@code vmagent metrics}: run the service, or dump what a work folder holds.
 *
 * @param action        what to do
 * @param simulatedRoot embedded mode's guest root, if any
 * @param interval      time between samples
 * @param workFolder    where to write instead of the guest's {@code /work} (embedded mode: the job's work folder)
 * @param dumpFolder    for {@link Action#DUMP}: the work folder to read
 */
public record MetricsCommandLine(Action action, Optional<Path> simulatedRoot, Duration interval,
                                 Optional<Path> workFolder, Optional<Path> dumpFolder) {
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(250);
    static final Duration MIN_INTERVAL = Duration.ofMillis(100);
    static final Duration MAX_INTERVAL = Duration.ofSeconds(60);

    public static final String USAGE = """
            Usage: vmagent metrics [--simulated-guest <root> [--work-folder <folder>]] [--interval-ms <n>]
                   vmagent metrics --dump <work folder>
                   vmagent metrics --help

            The guest's metrics service (systemd unit ucloud-metrics.service): samples CPU, memory, network, disk
            I/O and file-system use from /proc and statfs of / and writes them, with a key-value summary every
            60 s, into /work/.ucloud-metrics (docs/metrics-format.md).

              --simulated-guest <root>  embedded mode: /work is <root>/work; the samples are this machine's
              --work-folder <folder>    embedded mode: write into <folder> instead of /work (the job's work folder,
                                        which a real guest has mounted at /work)
              --interval-ms <n>         milliseconds between samples, 100 to 60000 (default 250: 4 a second)
              --dump <work folder>      print the samples and the summary that <work folder>/.ucloud-metrics
                                        holds, and exit (status 1 when there is no valid ring)
              --help                    print this and exit

            Exit status: 0 stopped, 1 a write failed (systemd starts it again), 2 bad command line.
            """;

    /** What the command line asks for. */
    public enum Action { RUN, DUMP, HELP }

    /** Parses the arguments after {@code metrics}. */
    public static MetricsCommandLine parse(String[] args) throws UsageException {
        Optional<Path> root = Optional.empty();
        Optional<Path> work = Optional.empty();
        Optional<Path> dump = Optional.empty();
        Duration interval = DEFAULT_INTERVAL;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") && args.length == 1) {
                return new MetricsCommandLine(Action.HELP, root, interval, work, dump);
            }
            if (i + 1 >= args.length || args[i + 1].isBlank()) {
                throw new UsageException("unexpected arguments: " + String.join(" ", args));
            }
            String value = args[++i];
            switch (option) {
                case "--simulated-guest" -> root = Optional.of(Path.of(value));
                case "--dump" -> dump = Optional.of(Path.of(value));
                case "--work-folder" -> work = Optional.of(Path.of(value));
                case "--interval-ms" -> interval = interval(value);
                default -> throw new UsageException("unexpected arguments: " + String.join(" ", args));
            }
        }
        if (dump.isPresent() && (root.isPresent() || args.length != 2)) {
            throw new UsageException("--dump takes no other option");
        }
        if (work.isPresent() && root.isEmpty()) {
            throw new UsageException("--work-folder is for a simulated guest (--simulated-guest)");
        }
        return new MetricsCommandLine(dump.isPresent() ? Action.DUMP : Action.RUN, root, interval, work, dump);
    }

    private static Duration interval(String value) throws UsageException {
        try {
            Duration interval = Duration.ofMillis(Long.parseLong(value));
            if (interval.compareTo(MIN_INTERVAL) < 0 || interval.compareTo(MAX_INTERVAL) > 0) {
                throw new UsageException("--interval-ms must be from " + MIN_INTERVAL.toMillis() + " to "
                        + MAX_INTERVAL.toMillis() + ", got " + value);
            }
            return interval;
        } catch (NumberFormatException e) {
            throw new UsageException("--interval-ms needs a number of milliseconds, got " + value);
        }
    }

    /** A command line that cannot be run; the message says why. */
    public static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }
}
