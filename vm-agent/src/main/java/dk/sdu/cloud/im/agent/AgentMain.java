package dk.sdu.cloud.im.agent;

import dk.sdu.cloud.im.agent.config.AgentConfig;
import dk.sdu.cloud.im.agent.config.AgentConfigException;
import dk.sdu.cloud.im.agent.config.AgentConfigReader;
import dk.sdu.cloud.im.agent.control.AgentIdentity;
import dk.sdu.cloud.im.agent.guest.GuestDescription;
import dk.sdu.cloud.im.agent.control.Backoff;
import dk.sdu.cloud.im.agent.control.ControlClient;
import dk.sdu.cloud.im.agent.control.ControlSession;
import dk.sdu.cloud.im.agent.guest.GuestLayout;
import dk.sdu.cloud.im.agent.keys.AuthorizedKeys;
import dk.sdu.cloud.im.agent.log.LogQueue;
import dk.sdu.cloud.im.agent.log.LogTee;
import dk.sdu.cloud.im.agent.metrics.MetricsMain;
import dk.sdu.cloud.im.agent.mounts.FolderMounting;
import dk.sdu.cloud.im.agent.mounts.MountInfo;
import dk.sdu.cloud.im.agent.mounts.Mounter;
import dk.sdu.cloud.im.agent.mounts.MountsFileReader;
import dk.sdu.cloud.im.agent.mounts.ProcessCommandRunner;
import dk.sdu.cloud.im.agent.mounts.SimulatedMounter;
import dk.sdu.cloud.im.agent.mounts.SimulatedTags;
import dk.sdu.cloud.im.agent.mounts.SudoMounter;
import dk.sdu.cloud.im.agent.socket.Frames;
import dk.sdu.cloud.im.agent.time.ExecutorScheduler;
import dk.sdu.cloud.im.agent.time.Scheduler;
import dk.sdu.cloud.im.agent.tty.LoginShell;
import dk.sdu.cloud.im.agent.tty.PtyShellLauncher;
import dk.sdu.cloud.im.agent.tty.TtyDialer;
import dk.sdu.cloud.im.agent.update.LauncherWatch;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The agent's entry point and composition root. */
public final class AgentMain {
    static final int EXIT_USAGE = 2;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(AgentMain.class);

    private AgentMain() {
    }

    public static void main(String[] args) {
        var logs = new LogQueue(LogQueue.CAPACITY);
        // The logger writes to standard error (simplelogger.properties), which journald keeps; the tee also queues
        // each line for the IM, so that the job's follow stream shows what the agent did. Set before anything logs.
        System.setErr(new PrintStream(new LogTee(System.err, logs), true, StandardCharsets.UTF_8));
        System.exit(run(args, System.out, System.err, System.getenv(), logs));
    }

    /** Runs the agent until it must exit, and returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> environment) {
        return run(args, out, err, environment, new LogQueue(LogQueue.CAPACITY));
    }

    /** {@link #run(String[], PrintStream, PrintStream, Map)}, sending the log lines {@code logs} collects. */
    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> environment, LogQueue logs) {
        if (args.length > 0 && args[0].equals(AgentCommandLine.METRICS)) {
            return MetricsMain.run(java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        AgentCommandLine commandLine;
        try {
            commandLine = AgentCommandLine.parse(args);
        } catch (AgentCommandLine.UsageException e) {
            err.println("vmagent: " + e.getMessage());
            err.print(AgentCommandLine.USAGE);
            return EXIT_USAGE;
        }
        switch (commandLine.action()) {
            case HELP -> {
                out.print(AgentCommandLine.USAGE);
                return 0;
            }
            case VERSION -> {
                out.println("vmagent " + AgentVersion.current());
                return 0;
            }
            default -> {
            }
        }
        var layout = commandLine.simulatedRoot().map(GuestLayout::simulated).orElseGet(GuestLayout::real);
        var json = JsonMapper.builder().build();
        AgentConfig config;
        try {
            config = new AgentConfigReader(json).read(layout.configFile());
            layout.resolve(config.mountsFile());
        } catch (AgentConfigException | IllegalArgumentException e) {
            err.println("vmagent: bad configuration: " + e.getMessage());
            return EXIT_USAGE;
        }
        try {
            return runAgent(config, layout, json, environment, logs);
        } catch (IOException e) {
            err.println("vmagent: " + e.getMessage());
            return EXIT_USAGE;
        }
    }

    private static int runAgent(AgentConfig config, GuestLayout layout, JsonMapper json, Map<String, String> environment,
                                LogQueue logs) throws IOException {
        var identity = AgentIdentity.newStart(AgentVersion.current(), new SecureRandom())
                .describing(GuestDescription.of(layout));
        LOG.info("vmagent {} for job {}{}", identity.agentVersion(), config.jobId(),
                layout.simulatedRoot().map(root -> " in the simulated guest " + root).orElse(""));
        Scheduler scheduler = new ExecutorScheduler(Clock.systemUTC(),
                Executors.newSingleThreadScheduledExecutor(daemonThreads("vmagent-timer")));
        var exit = new CompletableFuture<Integer>();

        // Before anything else: the watch must see the launcher as it was when this agent started.
        new LauncherWatch(layout.launcher(), scheduler, exit::complete).start();

        var mounts = new FolderMounting(new MountsFileReader(YAMLMapper.builder().build()), mounter(layout, json))
                .mountAll(layout.resolve(config.mountsFile()));

        Optional<Path> simulatedHome = layout.isSimulated() ? Optional.of(layout.resolve(GuestLayout.HOME)) : Optional.empty();
        var home = simulatedHome.orElseGet(() -> Path.of(System.getProperty("user.home")));
        if (simulatedHome.isPresent()) {
            // A real guest's image has the home folder; a simulated guest's root may be bare, and the shell needs it.
            Files.createDirectories(home);
        }
        var frames = new Frames(json);
        var httpClient = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
        var shells = new PtyShellLauncher(() -> LoginShell.spec(environment, simulatedHome, layout.work()), scheduler);
        var ttys = new TtyDialer(config.ttyEndpoint(), config.jobId(), httpClient, frames, shells, daemonThreads("vmagent-tty"));
        var authorizedKeys = new AuthorizedKeys(home);
        var client = new ControlClient(config.endpoint(), httpClient, scheduler,
                events -> new ControlSession(config, identity, scheduler, frames, authorizedKeys, () -> mounts, ttys, events,
                        logs),
                new Backoff());
        client.start();
        return exit.join();
    }

    private static Mounter mounter(GuestLayout layout, JsonMapper json) throws IOException {
        if (layout.isSimulated()) {
            return new SimulatedMounter(layout, SimulatedTags.read(json, layout.simulatedTagsFile()));
        }
        return new SudoMounter(new ProcessCommandRunner(Duration.ofSeconds(60)), new MountInfo(Path.of("/proc/self/mountinfo")));
    }

    private static ThreadFactory daemonThreads(String name) {
        var count = new AtomicInteger();
        return task -> {
            var thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
