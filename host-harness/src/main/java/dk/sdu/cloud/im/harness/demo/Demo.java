package dk.sdu.cloud.im.harness.demo;

import dk.sdu.cloud.im.harness.auth.CoreTokenSigner;
import dk.sdu.cloud.im.harness.core.LocalCore;
import dk.sdu.cloud.im.harness.boot.HostOptions;
import dk.sdu.cloud.im.harness.boot.ImHost;
import dk.sdu.cloud.im.harness.client.HarnessClient;
import dk.sdu.cloud.im.harness.client.HarnessClientException;
import dk.sdu.cloud.im.harness.client.SignedCoreCredentials;
import dk.sdu.cloud.im.harness.fs.ConfiguredProviderFileSystem;
import dk.sdu.cloud.im.harness.kubernetes.ClusterConnection;
import dk.sdu.cloud.im.harness.kubernetes.ClusterConnector;
import dk.sdu.cloud.im.harness.kubernetes.EmbeddedCluster;
import dk.sdu.cloud.im.harness.serve.ImServer;
import dk.sdu.cloud.im.harness.store.RecordedUpdate;
import dk.sdu.cloud.im.spi.job.JobState;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The demo's scenario. Each step is bounded by the step timeout and, when it fails, says which step and why:
 * <ol>
 *   <li>make a tiny qcow2 image with {@code qemu-img} and serve it on 127.0.0.1;</li>
 *   <li>start an IM in embedded mode on a free loopback port, over a temporary provider file system (HostPath
 *       storage) and data directory, its guest agents' endpoint on another free loopback port;</li>
 *   <li>submit the example VM job (its image replaced by the served one) through the provider API, signed as
 *       UCloud/Core signs its calls (the demo plays Core: it makes the provider's key pair and gives the IM the
 *       public key), and wait for RUNNING;</li>
 *   <li>open a shell in the job through the provider API, wait until it runs through the guest agent (the
 *       simulated guest's agent, a local process), run a command, and show that an SSH key written for the job
 *       reaches the guest's {@code authorized_keys} while it runs ({@link DemoShell});</li>
 *   <li>open the VM's screen through the provider API and print the RFB server's version line
 *       ({@link DemoVnc});</li>
 *   <li>follow the job as Core does, print the agent's first log line and a metrics sample ({@link DemoFollow});</li>
 *   <li>suspend (SUSPENDED), unsuspend (RUNNING); once the guest is ready again, it powers itself off (played
 *       by the simulator; SUSPENDED), and the objects are shown once the plugin has halted the VM;</li>
 *   <li>terminate (SUCCESS), then wait until the job's objects are
 *       gone.</li>
 * </ol>
 * The job's updates are printed as they happen, and the Kubernetes objects after each step.
 */
public final class Demo {
    private static final String IMAGE_NAME = "debian-12-demo.qcow2";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** How the job's message says the guest is ready (its agent connected and mounted its folders). */
    private static final String GUEST_READY = "is ready";

    private final Options options;
    private final DemoOutput output;

    /**
     * @param pluginsDirectory the plugin jars the IM loads
     * @param stepTimeout      how long each step may take
     * @param keep             keep the temporary folder (and say where it is), and keep the IM and its cluster
     *                         up with the job running, once it is shown working, until {@code hold} returns
     * @param connector        how the IM reaches its (embedded) cluster
     * @param agentBundle      the guest agent bundle the IM installs into the guests, when not the installation's
     * @param hold             what keeps the IM up with {@code keep} (the CLI: until interrupted)
     */
    public record Options(Path pluginsDirectory, Duration stepTimeout, boolean keep, ClusterConnector connector,
                          Optional<Path> agentBundle, Hold hold) {
        public Options {
            requireNonNull(pluginsDirectory, "pluginsDirectory is null");
            requireNonNull(stepTimeout, "stepTimeout is null");
            requireNonNull(connector, "connector is null");
            requireNonNull(agentBundle, "agentBundle is null");
            requireNonNull(hold, "hold is null");
        }

        /** Holding nothing up: with {@code keep}, the demo stops as soon as it has said how to look. */
        public Options(Path pluginsDirectory, Duration stepTimeout, boolean keep, ClusterConnector connector,
                       Optional<Path> agentBundle) {
            this(pluginsDirectory, stepTimeout, keep, connector, agentBundle, () -> { });
        }

        /** With the installation's agent bundle. */
        public Options(Path pluginsDirectory, Duration stepTimeout, boolean keep, ClusterConnector connector) {
            this(pluginsDirectory, stepTimeout, keep, connector, Optional.empty());
        }
    }

    /** Keeps the demo's IM and cluster up for a person to look at ({@code --keep}); returns when they may go. */
    @FunctionalInterface
    public interface Hold {
        /** Returns when the IM may stop (the CLI: once interrupted). */
        void await() throws InterruptedException;
    }

    public Demo(Options options, PrintWriter out) {
        this.options = requireNonNull(options, "options is null");
        this.output = new DemoOutput(requireNonNull(out, "out is null"));
    }

    /**
     * Runs the whole lifecycle.
     *
     * @throws DemoFailure naming the step that did not work and why
     */
    public void run() {
        output.line("ucloud-im demo: one VM job through its whole lifecycle, on this machine only.");
        output.line("This is a SIMULATION: an in-process Kubernetes API and a KubeVirt simulator; no VM really runs.");
        DemoWorkspace workspace = DemoWorkspace.create();
        try {
            runIn(workspace);
        } finally {
            if (options.keep()) {
                output.line("kept the demo's files in " + workspace.root());
            } else {
                try {
                    workspace.delete();
                } catch (RuntimeException e) {
                    output.line("could not delete the demo's files in " + workspace.root() + ": " + e.getMessage());
                }
            }
        }
    }

    private void runIn(DemoWorkspace workspace) {
        Path image = DemoImage.make(workspace.image().resolve(IMAGE_NAME));
        output.line("image: made an empty qcow2 disk of " + DemoImage.VIRTUAL_SIZE_TEXT + " with qemu-img ("
                + sizeOf(image) + " on disk)");
        try (ImageServer images = ImageServer.serve(image, IMAGE_NAME)) {
            output.line("image: served at " + images.url());
            ObjectNode job = DemoInputs.job(images.url());
            String jobId = job.path("id").asString();
            ConfiguredProviderFileSystem fileSystem = new ConfiguredProviderFileSystem(workspace.fileSystem(), workspace.trash());
            List<String> folders = new ArrayList<>();
            job.path("specification").path("resources").forEach(r -> folders.add(fileSystem.resolveUCloudPath(r.path("path").asString())));
            workspace.makeFolders(folders);

            Path config = DemoInputs.writeConfig(workspace, options.agentBundle());
            output.line("IM: starting in embedded mode (" + config + ")");
            try (ImServer server = step("start the IM", () -> ImServer.start(
                    new HostOptions(config, options.pluginsDirectory()), options.connector()))) {
                String namespace = server.host().configuration().namespace();
                String provider = server.host().configuration().providerSettings().providerId();
                output.line("IM: serving provider '" + provider + "' at " + server.url());
                output.line("IM: Kubernetes: " + server.cluster().description());
                server.cluster().kubectlCommand().ifPresent(command -> output.line("kubectl: " + command));
                UpdateFeed feed = new UpdateFeed(jobId, output);
                server.addUpdateListener(feed);
                LocalCore core = server.localCore().orElseThrow(() -> new DemoFailure("the IM does not run the "
                        + "harness's Core (harness.core.mode local)", null));
                output.line("Core: played by the harness at " + core.url() + " (signs its calls with its RS256 key)");
                HarnessClient client = new HarnessClient(server.url(), new SignedCoreCredentials(
                        new CoreTokenSigner(core.keyPair().privateKey(), Clock.systemUTC()), Clock.systemUTC()),
                        REQUEST_TIMEOUT);
                ClusterObjects objects = new ClusterObjects(server.cluster().access().client(), namespace);
                DemoShell shell = new DemoShell(client, jobId, server.host().dataDirectory().resolve(ImHost.SSH_KEYS),
                        output, options.stepTimeout());
                DemoVnc vnc = new DemoVnc(client, jobId, output, options.stepTimeout());
                DemoFollow follow = new DemoFollow(client, jobId, output, options.stepTimeout());
                Lifecycle lifecycle = new Lifecycle(client, "/ucloud/" + provider + "/jobs", job, feed, objects, shell,
                        vnc, follow, server.cluster());
                if (!lifecycle.run()) {
                    return;
                }
                awaitCoreSaw(core, jobId, JobState.SUCCESS);
                output.line("OK: job " + jobId + " went " + lifecycle.path());
                output.line(String.format(Locale.ROOT, "OK: the image was downloaded %d time(s); no object is left "
                        + "(%.1f s)", images.downloads(), output.elapsed()));
            }
        }
    }

    /**
     * Waits until Core has received the job's updates up to {@code last} (the IM delivers them behind its answers),
     * then prints the states in the order Core got them.
     */
    private void awaitCoreSaw(LocalCore core, String jobId, JobState last) {
        long deadline = System.nanoTime() + options.stepTimeout().toNanos();
        List<String> states = coreStates(core, jobId);
        while (!states.contains(last.name())) {
            if (System.nanoTime() > deadline) {
                throw new DemoFailure("step 'Core receives the job's updates' timed out after "
                        + options.stepTimeout().toSeconds() + " s; Core got the states " + states, null);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DemoFailure("interrupted while waiting for Core to receive the job's updates", e);
            }
            states = coreStates(core, jobId);
        }
        output.line("Core: got " + core.updates(jobId).size() + " updates of job " + jobId + " (jobs/control/update), "
                + "states: " + String.join(" -> ", states));
    }

    private static List<String> coreStates(LocalCore core, String jobId) {
        List<String> states = new ArrayList<>();
        for (JsonNode update : core.updates(jobId)) {
            JsonNode state = update.path("state");
            if (state.isString()) {
                states.add(state.asString());
            }
        }
        return states;
    }

    /** The job's lifecycle through the provider API, one bounded step after the other. */
    private final class Lifecycle {
        private final HarnessClient client;
        private final String jobsPath;
        private final ObjectNode job;
        private final String jobId;
        private final UpdateFeed feed;
        private final ClusterObjects objects;
        private final DemoShell shell;
        private final DemoVnc vnc;
        private final DemoFollow follow;
        private final ClusterConnection cluster;

        Lifecycle(HarnessClient client, String jobsPath, ObjectNode job, UpdateFeed feed, ClusterObjects objects,
                  DemoShell shell, DemoVnc vnc, DemoFollow follow, ClusterConnection cluster) {
            this.cluster = cluster;
            this.client = client;
            this.jobsPath = jobsPath;
            this.job = job;
            this.jobId = job.path("id").asString();
            this.feed = feed;
            this.objects = objects;
            this.shell = shell;
            this.vnc = vnc;
            this.follow = follow;
        }

        /** Returns false when {@code --keep} held the IM up with the job running and the rest was not done. */
        boolean run() {
            JsonNode spec = job.path("specification");
            act("submit", jobsPath, items(job), "job " + jobId + " (" + spec.path("application").path("name").asString()
                    + " " + spec.path("application").path("version").asString() + " on " + spec.path("product").path("id").asString()
                    + ", disk " + spec.path("parameters").path("diskSize").path("value").asString() + " GiB)",
                    JobState.RUNNING);
            // The job's web console (docs/web-console.md), good while the job runs.
            output.line("console: " + client.consoleUrl(jobId));
            shell.run();
            vnc.run();
            follow.run();
            if (options.keep()) {
                holdUp();
                return false;
            }
            act("suspend", jobsPath + "/suspend", wrappedItems(job), "job " + jobId, JobState.SUSPENDED);
            int resumed = act("unsuspend", jobsPath + "/unsuspend", wrappedItems(job), "job " + jobId, JobState.RUNNING);
            guestPowersOff(resumed);
            act("terminate", jobsPath + "/terminate", items(job), "job " + jobId, JobState.SUCCESS);
            awaitNoObjects();
            return true;
        }

        // --keep: the job runs, and its objects are there to look at, with kubectl when the cluster wrote a kubeconfig.
        private void holdUp() {
            output.line("keep: the IM and its cluster stay up with job " + jobId + " RUNNING until interrupted (Ctrl-C)");
            cluster.kubectlCommand().ifPresent(command -> output.line("keep: look with " + command));
            try {
                options.hold().await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            output.line("keep: stopping the IM; the job stays RUNNING in the kept data directory");
        }

        /** Returns the feed's mark from before the operation: what came of it comes after. */
        private int act(String operation, String path, JsonNode body, String what, JobState expected) {
            int mark = feed.mark();
            output.line(operation + ": POST " + path + " (" + what + ")");
            try {
                client.post(path, body);
            } catch (HarnessClientException e) {
                throw new DemoFailure("step '" + operation + "': the provider API refused it: " + e.getMessage(), e);
            }
            output.line(operation + ": accepted; waiting for " + expected);
            feed.awaitState(mark, expected, options.stepTimeout(), operation + ": wait for " + expected);
            if (expected != JobState.SUCCESS) {
                // After SUCCESS the cleanup is still under way: the objects are shown once it is done.
                showObjects("after " + operation);
            }
            return mark;
        }

        /**
         * Once the guest is ready (its boot stages in the job's messages), it powers itself off, played by the
         * simulator as KubeVirt reports it: the VM stays off and the job is SUSPENDED, its disk kept.
         */
        private void guestPowersOff(int since) {
            if (!(cluster instanceof EmbeddedCluster embedded)) {
                output.line("guest power-off: skipped (only the simulator can power a guest off)");
                return;
            }
            feed.awaitMessage(since, GUEST_READY, options.stepTimeout(), "guest power-off: wait until the guest is ready");
            int mark = feed.mark();
            output.line("guest power-off: the guest shuts itself down (as `poweroff` in it would)");
            embedded.powerOffGuest("vm-" + jobId + "-0");
            feed.awaitState(mark, JobState.SUSPENDED, options.stepTimeout(), "guest power-off: wait for SUSPENDED");
            // SUSPENDED is reported as soon as the instance says the guest shut down; the plugin halts the VM
            // after that, and KubeVirt removes the ended instance: list the objects once both happened.
            String vmName = "vm-" + jobId + "-0";
            List<ClusterObjects.Line> after = awaitObjects("guest power-off: wait until the VM is halted",
                    lines -> lines.stream().anyMatch(line -> line.kind().equals("VirtualMachine")
                            && line.name().equals(vmName) && line.state().equals("runStrategy Halted, Stopped"))
                            && lines.stream().noneMatch(line -> line.kind().equals("VirtualMachineInstance")));
            output.line("objects after the guest's power-off, once the plugin halted the VM:");
            output.block(ClusterObjects.render(after));
        }

        private void awaitNoObjects() {
            List<ClusterObjects.Line> left = awaitObjects("terminate: wait until the job's objects are gone",
                    List::isEmpty);
            output.line("objects after terminate, once the cleanup is done (VM deleted, what it owned collected, "
                    + "released volumes deleted):");
            output.block(ClusterObjects.render(left));
        }

        /** Lists the objects until they are as {@code done} says, within the step's time; returns that list. */
        private List<ClusterObjects.Line> awaitObjects(String step, Predicate<List<ClusterObjects.Line>> done) {
            long deadline = System.nanoTime() + options.stepTimeout().toNanos();
            List<ClusterObjects.Line> now = objects.list();
            while (!done.test(now)) {
                if (System.nanoTime() > deadline) {
                    throw new DemoFailure("step '" + step + "' timed out after " + options.stepTimeout().toSeconds()
                            + " s; the objects:\n" + ClusterObjects.render(now));
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DemoFailure("interrupted in step '" + step + "'", e);
                }
                now = objects.list();
            }
            return now;
        }

        private void showObjects(String when) {
            output.line("objects " + when + ":");
            output.block(ClusterObjects.render(objects.list()));
        }

        String path() {
            List<String> states = new ArrayList<>(List.of(JobState.IN_QUEUE.name()));
            for (RecordedUpdate update : feed.all()) {
                if (update.state() != null && !update.state().name().equals(states.get(states.size() - 1))) {
                    states.add(update.state().name());
                }
            }
            return String.join(" -> ", states);
        }
    }

    private static JsonNode items(JsonNode job) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putArray("items").add(job);
        return body;
    }

    private static JsonNode wrappedItems(JsonNode job) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putArray("items").addObject().set("job", job);
        return body;
    }

    private static <T> T step(String name, Supplier<T> action) {
        try {
            return action.get();
        } catch (DemoFailure e) {
            throw e;
        } catch (RuntimeException e) {
            throw new DemoFailure("step '" + name + "': " + e.getMessage(), e);
        }
    }

    private static String sizeOf(Path file) {
        try {
            long bytes = Files.size(file);
            return bytes < 1024 * 1024 ? (bytes + 1023) / 1024 + " KiB" : bytes / (1024 * 1024) + " MiB";
        } catch (IOException e) {
            return "size unknown";
        }
    }
}
