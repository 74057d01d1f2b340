package dk.sdu.cloud.im.harness.cli;

import dk.sdu.cloud.im.harness.boot.HostAssemblyException;
import dk.sdu.cloud.im.harness.startup.StartupTrace;
import dk.sdu.cloud.im.harness.config.ConfigException;
import dk.sdu.cloud.im.harness.kubernetes.StandardClusterConnector;
import dk.sdu.cloud.im.harness.plugins.PluginLoadException;
import dk.sdu.cloud.im.harness.serve.ImServer;
import dk.sdu.cloud.im.harness.serve.ServeException;
import dk.sdu.cloud.im.harness.settings.KeysWithoutEffect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code ucloud-im serve}. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
                "Runs the IM: loads the plugins, binds the configuration, opens the job store in "
                        + "harness.dataDirectory, connects to Kubernetes as harness.kubernetes says (kubeconfig, "
                        + "in-cluster, or embedded: an in-process simulation where no VM really runs, which keeps its objects in "
                        + "harness.dataDirectory and writes harness.dataDirectory/kubeconfig for kubectl), opens the "
                        + "compute backends, carries on with the jobs the store says are not done, and serves the "
                        + "provider API (with interactive shells: /ucloud/<provider.id>/jobs/interactiveSession and the "
                        + "websocket /ucloud/<provider.id>/websocket), the job view (/harness/jobs) and /metrics on "
                        + "harness.server.bindHost:port, and the compute backends' websocket routes (those at another "
                        + "port on harness.server.routeBindAddress, default 0.0.0.0); public links' calls at "
                        + "/ucloud/<provider.id>/ingresses, and in embedded mode with services.compute.publicLinks "
                        + "enabled a reverse proxy of the links' domains to the VMs on harness.server.linkBindAddress:"
                        + "linkPort (default 127.0.0.1:8890). "
                        + "Job requests are answered once recorded; at most harness.jobs.workers (default 4) backend "
                        + "operations run behind them at a time. Every request but /metrics and websocket upgrades "
                        + "must be UCloud/Core's, as harness.auth.mode says: jwt (default; Core's RS256 token, checked "
                        + "with Core's public key ucloud_key.pub in harness.auth.publicKeyFolder, default the "
                        + "configuration's folder), gateway (the claims and ucloud-secret a gateway forwards; "
                        + "harness.auth.gatewaySecretFile) or token (harness.token; for the harness and tests only).",
                "Logs to stderr (INFO). Runs until SIGTERM or SIGINT, then shuts down in order: API server "
                        + "(requests in flight finish; shells are closed), public links' proxy, websocket listeners, job driver (operations under way finish; the rest is done "
                        + "at the next start), compute backends, metrics, job store, Kubernetes "
                        + "connection, plugins; each step is bounded and logged.",
                "Exit status: 1 when it cannot start (a plugin, the port, the cluster, the job store), 2 when the "
                        + "configuration has problems, or a file it names (Core's public key, the gateway's secret, "
                        + "the token file) is missing or unusable. After a signal the JVM ends with the "
                        + "signal's status (143 for SIGTERM, 130 for SIGINT)."
        })
final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Mixin
    HostLocationOptions locations;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        StartupTrace trace = ImCommand.traceOf(spec);
        ImServer server;
        try {
            server = ImServer.start(locations.hostOptions(), new StandardClusterConnector(trace), trace);
        } catch (ConfigException e) {
            CliErrors.printConfigProblems(err, e);
            return ImCommand.CONFIG_PROBLEMS;
        } catch (PluginLoadException | HostAssemblyException e) {
            err.println("ucloud-im serve: cannot start: " + e.getMessage());
            return ImCommand.CANNOT_RUN;
        } catch (ServeException e) {
            err.println("ucloud-im serve: cannot start: " + e.getMessage());
            return e.exitStatus();
        }
        ImCommand.printTrace(trace, err);
        KeysWithoutEffect.warning(server.host().configuration().withoutEffect()).ifPresent(LOG::warn);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } finally {
                stopped.countDown();
            }
        }, "ucloud-im-shutdown"));
        stopped.await();
        return 0;
    }
}
