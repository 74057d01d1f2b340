package dk.sdu.cloud.im.harness.cli;

import dk.sdu.cloud.im.harness.boot.HostOptions;
import dk.sdu.cloud.im.harness.demo.Demo;
import dk.sdu.cloud.im.harness.kubernetes.StandardClusterConnector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code ucloud-im demo}. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
                "Shows the IM at work on this machine alone: starts it in embedded mode (an in-process Kubernetes "
                        + "API and a KubeVirt simulator: a simulation, no VM really runs) on a free loopback port "
                        + "with a temporary provider file system and data directory, makes a tiny qcow2 image with "
                        + "qemu-img (package qemu-utils) and serves it on 127.0.0.1, submits the example VM job through "
                        + "the provider API signed as UCloud/Core signs (the demo plays Core with a key pair it "
                        + "makes), opens a shell in it through the provider API "
                        + "once its simulated guest's agent is connected (the guest agents' endpoint on another "
                        + "free loopback port), runs a command there, shows an SSH key written for the job reaching "
                        + "the guest's authorized_keys, then suspends and unsuspends it, lets its guest power itself off "
                        + "(played by the simulator: the job is SUSPENDED) and terminates it.",
                "Prints the job's updates as they happen (disk preparation, RUNNING and the guest's boot stages, "
                        + "SUSPENDED, RUNNING, SUSPENDED by the guest's power-off, SUCCESS) and "
                        + "the Kubernetes objects after each step, with the seconds since the start. Uses no network "
                        + "beyond loopback, and deletes its temporary files unless --keep. The embedded cluster "
                        + "writes a kubeconfig for kubectl into the data directory (the command to use it is "
                        + "printed: KUBECONFIG=<data>/kubeconfig kubectl get vm,vmi,pvc).",
                "Exit status: 0 when the whole lifecycle worked; 1 otherwise, with the step that failed and why."
        })
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--plugins", paramLabel = "DIR",
            description = "The directory of plugin jars. Default: the installation's plugins/ when started by "
                    + "bin/ucloud-im, else plugins/ in the working directory.")
    Path plugins;

    @Option(names = "--agent-bundle", paramLabel = "DIR",
            description = "The guest agent bundle (vmagent, vmagent.d/) that the simulated guests run. Default: the "
                    + "installation's guest/vm-agent/.")
    Path agentBundle;

    @Option(names = "--step-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long each step may take before the demo gives up (default: ${DEFAULT-VALUE}).")
    long stepTimeoutSeconds;

    @Option(names = "--keep", description = "Keep the temporary folder (configuration, data, file system, image), and "
            + "once the job runs and its shell, screen and follow stream were shown, leave the IM and its cluster up "
            + "with the job RUNNING for a person to look at (it prints KUBECONFIG=<data>/kubeconfig kubectl get "
            + "vm,vmi,pvc) until interrupted (Ctrl-C); the rest of the lifecycle is then not run.")
    boolean keep;

    @Option(names = "--verbose", description = "Also print the IM's log (INFO, to stderr), and stack traces of failures.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (stepTimeoutSeconds < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--step-timeout must be at least 1 second");
        }
        return verbose ? run() : CliLogging.silent(this::run);
    }

    private int run() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            interrupted.countDown();
            try {
                // The JVM ends when the hooks are done: give the demo time to stop its IM (and write its cluster).
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ucloud-im-demo-keep");
        if (keep) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
        Demo demo = new Demo(new Demo.Options(plugins != null ? plugins : HostOptions.defaultPluginsDirectory(),
                Duration.ofSeconds(stepTimeoutSeconds), keep, new StandardClusterConnector(),
                java.util.Optional.ofNullable(agentBundle), interrupted::await), out);
        try {
            demo.run();
            return 0;
        } catch (RuntimeException e) {
            out.flush();
            err.println("ucloud-im demo FAILED: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            if (verbose) {
                e.printStackTrace(err);
            }
            err.flush();
            return ImCommand.CANNOT_RUN;
        } finally {
            finished.countDown();
            if (keep && interrupted.getCount() > 0) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        }
    }
}
