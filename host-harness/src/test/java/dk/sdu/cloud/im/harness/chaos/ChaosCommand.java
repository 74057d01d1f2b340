package dk.sdu.cloud.im.harness.chaos;

import dk.sdu.cloud.im.harness.demo.DemoFailure;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code scripts/chaos}: the crash test of the IM (see {@code docs/chaos.md}). The composition root of the
 * chaos program: options in, a {@link ChaosRun} with its collaborators out.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Crash test: VM jobs go through create, suspend, unsuspend and terminate over the provider API while "
                        + "the IM is killed with SIGKILL and started again; then checks that every job ends where its "
                        + "accepted requests put it and that no object is left over.",
                "Exit status: 0 nothing found, 1 violations found, 2 bad usage, 3 the run could not be carried out."})
public final class ChaosCommand implements Callable<Integer> {
    static final int USAGE = 2;

    @Spec
    CommandSpec spec;

    @Option(names = "--jobs", paramLabel = "N", description = "VM jobs (default: ${DEFAULT-VALUE})", defaultValue = "100")
    int jobs;

    @Option(names = "--kills", paramLabel = "K", description = "kills of the IM during the traffic (default: ${DEFAULT-VALUE})", defaultValue = "5")
    int kills;

    @Option(names = "--seed", paramLabel = "S", description = "seed of scripts, kill moments and faults (default: random, printed)")
    Long seed;

    @Option(names = "--fault-rate", paramLabel = "R", description = "share of Kubernetes API requests that fail, e.g. 0.05 (default: 0)", defaultValue = "0")
    double faultRate;

    @Option(names = "--concurrency", paramLabel = "N", description = "bulk requests in flight at once (default: ${DEFAULT-VALUE})", defaultValue = "4")
    int concurrency;

    @Option(names = "--batch", paramLabel = "N", description = "most jobs in one bulk request (default: ${DEFAULT-VALUE})", defaultValue = "10")
    int batch;

    @Option(names = "--think-ms", paramLabel = "MS", description = "longest pause of a job between its operations (default: ${DEFAULT-VALUE})", defaultValue = "1500")
    int thinkMillis;

    @Option(names = "--traffic-timeout", paramLabel = "SECONDS", description = "longest traffic phase (default: ${DEFAULT-VALUE})", defaultValue = "360")
    long trafficSeconds;

    @Option(names = "--settle", paramLabel = "SECONDS", description = "time after the final restart for the jobs to reach their end states (default: ${DEFAULT-VALUE})", defaultValue = "120")
    long settleSeconds;

    @Option(names = "--start-timeout", paramLabel = "SECONDS", description = "time an IM may take to start serving (default: ${DEFAULT-VALUE})", defaultValue = "120")
    long startSeconds;

    @Option(names = "--request-timeout", paramLabel = "SECONDS", description = "time a request may take (default: ${DEFAULT-VALUE})", defaultValue = "120")
    long requestSeconds;

    @Option(names = "--installation", paramLabel = "DIR", description = "the IM's installation, built by ./mvnw package (default: ${DEFAULT-VALUE})", defaultValue = "host-harness/target/ucloud-im")
    Path installation;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "where the run keeps its files (default: a new temporary folder)")
    Path workDirectory;

    @Option(names = "--keep", description = "keep the work directory when nothing was found (it is always kept otherwise)")
    boolean keep;

    @Option(names = "--im-set", paramLabel = "KEY=YAML", description = "an extra key of the IM's configuration, e.g. services.compute.virtualMachines.x=true (repeatable)")
    Map<String, String> imSettings = new LinkedHashMap<>();

    @Option(names = "--im-java-opts", paramLabel = "OPTS", description = "JAVA_OPTS of the IM (default: ${DEFAULT-VALUE})", defaultValue = "-Xmx768m")
    String imJavaOptions;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ChaosCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (jobs < 1) {
            throw new ParameterException(spec.commandLine(), "--jobs must be at least 1, got " + jobs);
        }
        if (kills < 0 || concurrency < 1 || batch < 1 || thinkMillis < 0) {
            throw new ParameterException(spec.commandLine(), "--kills and --think-ms must be 0 or more, --concurrency and --batch 1 or more");
        }
        if (faultRate < 0 || faultRate >= 1) {
            throw new ParameterException(spec.commandLine(), "--fault-rate must be 0 or more and below 1, got " + faultRate);
        }
        Path launcher = installation.resolve("bin").resolve("ucloud-im");
        if (!Files.isExecutable(launcher)) {
            System.err.println("chaos: no IM installation at " + installation.toAbsolutePath()
                    + " (expected bin/ucloud-im): build it with ./mvnw package, or give --installation");
            return USAGE;
        }
        long runSeed = seed != null ? seed : System.nanoTime();
        ChaosOptions options = new ChaosOptions(jobs, kills, runSeed, faultRate, concurrency, batch, thinkMillis,
                Duration.ofSeconds(trafficSeconds), Duration.ofSeconds(settleSeconds), Duration.ofSeconds(startSeconds),
                Duration.ofSeconds(requestSeconds), installation.toAbsolutePath(),
                workDirectory == null ? null : workDirectory.toAbsolutePath(), keep, imSettings, imJavaOptions);
        try {
            return new ChaosRun(options, System.out).run();
        } catch (DemoFailure e) {
            System.err.println("chaos: " + e.getMessage());
            return ChaosRun.CANNOT_RUN;
        }
    }
}
