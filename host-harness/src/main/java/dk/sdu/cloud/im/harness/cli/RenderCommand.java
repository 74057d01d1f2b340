package dk.sdu.cloud.im.harness.cli;

import dk.sdu.cloud.im.harness.api.ComputeBackends;
import dk.sdu.cloud.im.harness.api.JobDocuments;
import dk.sdu.cloud.im.harness.boot.HostAssemblyException;
import dk.sdu.cloud.im.harness.boot.HostConfiguration;
import dk.sdu.cloud.im.harness.boot.HostRuntime;
import dk.sdu.cloud.im.harness.boot.ImHost;
import dk.sdu.cloud.im.harness.config.ConfigException;
import dk.sdu.cloud.im.harness.kubernetes.OfflineKubernetesAccess;
import dk.sdu.cloud.im.harness.network.FixedNetworkResources;
import dk.sdu.cloud.im.harness.network.NetworkResourcesFile;
import dk.sdu.cloud.im.harness.plugins.PluginFault;
import dk.sdu.cloud.im.harness.plugins.PluginLoadException;
import dk.sdu.cloud.im.harness.services.InMemoryJobUpdates;
import dk.sdu.cloud.im.spi.compute.JobRejectedException;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.network.NetworkResources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code ucloud-im render}. */
@Command(
        name = "render",
        mixinStandardHelpOptions = true,
        description = {
                "Prints the cluster objects the compute backend would create for a job (for KubeVirt: a "
                        + "multi-document YAML stream), as the configuration and the plugins say. The backend is "
                        + "picked by the job's tool backend "
                        + "(status.resolvedApplication.invocation.tool.tool.description.backend).",
                "Contacts no cluster: the backend is created but not opened, and any request it tried would fail.",
                "The job's public IPs, public links and private networks (its network, ingress and private_network "
                        + "resources) are looked up in the --resources file; without it there are none.",
                "Exit status: 0 printed; " + RenderCommand.JOB_REJECTED + " the backend rejects the job (the reason "
                        + "goes to stderr); 2 the configuration, the job file or the resources file has problems, or "
                        + "bad usage; 1 no "
                        + "backend runs the job's tool backend, the plugins cannot be used, or the backend failed (the "
                        + "plugin and the reason go to stderr)."
        })
final class RenderCommand implements Callable<Integer> {
    /** Exit status when the backend rejects the job. */
    static final int JOB_REJECTED = 3;

    @Mixin
    HostLocationOptions locations;

    @Option(names = "--job", required = true, paramLabel = "FILE", description = "The job, as JSON in Core's shape.")
    Path jobFile;

    @Option(names = "--resources", paramLabel = "FILE", description = "The network resources the job may name, as "
            + "JSON: {\"publicIps\": [...], \"publicLinks\": [...], \"privateNetworks\": [...]} with the fields of "
            + "a public IP (id, owner {createdBy, project}, externalAddress, internalAddress, openPorts [{start, end, "
            + "protocol}]), a public link (id, owner, domain) and a private network (id, owner, name, subdomain).")
    Path resourcesFile;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return CliLogging.warningsOnly(this::render);
    }

    private int render() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Job job;
        try {
            job = JobDocuments.parse(Files.readAllBytes(jobFile));
        } catch (NoSuchFileException e) {
            err.println(jobFile + ": no such file");
            return ImCommand.CONFIG_PROBLEMS;
        } catch (IOException e) {
            err.println(jobFile + ": cannot read: " + e);
            return ImCommand.CONFIG_PROBLEMS;
        } catch (IllegalArgumentException e) {
            err.println(jobFile + ": " + e.getMessage());
            return ImCommand.CONFIG_PROBLEMS;
        }
        NetworkResources networks = FixedNetworkResources.none();
        if (resourcesFile != null) {
            try {
                networks = NetworkResourcesFile.parse(Files.readAllBytes(resourcesFile));
            } catch (NoSuchFileException e) {
                err.println(resourcesFile + ": no such file");
                return ImCommand.CONFIG_PROBLEMS;
            } catch (IOException e) {
                err.println(resourcesFile + ": cannot read: " + e);
                return ImCommand.CONFIG_PROBLEMS;
            } catch (IllegalArgumentException e) {
                err.println(resourcesFile + ": " + e.getMessage());
                return ImCommand.CONFIG_PROBLEMS;
            }
        }
        try (OfflineRuntime offline = new OfflineRuntime(networks);
             ImHost host = ImHost.assemble(locations.hostOptions(), offline)) {
            ComputeBackends.Selection selection = new ComputeBackends(host.computeBackends()).select(job);
            if (!selection.found()) {
                err.println("cannot render job " + job.id() + ": " + selection.problem());
                return ImCommand.CANNOT_RUN;
            }
            String manifests;
            try {
                manifests = selection.backend().renderManifests(job);
            } catch (JobRejectedException e) {
                throw e;
            } catch (RuntimeException | LinkageError e) {
                // The operator runs render: the detail (with the exception's message) is theirs to read.
                err.println("cannot render job " + job.id() + ": "
                        + PluginFault.of(selection.backend(), "render job " + job.id(), e).detail());
                return ImCommand.CANNOT_RUN;
            }
            out.print(manifests.endsWith("\n") ? manifests : manifests + System.lineSeparator());
            out.flush();
            return 0;
        } catch (JobRejectedException e) {
            err.println("job " + job.id() + " is rejected: " + e.getMessage());
            return JOB_REJECTED;
        } catch (ConfigException e) {
            CliErrors.printConfigProblems(err, e);
            return ImCommand.CONFIG_PROBLEMS;
        } catch (PluginLoadException | HostAssemblyException e) {
            err.println(e.getMessage());
            return ImCommand.CANNOT_RUN;
        }
    }

    /**
     * The runtime of a render: updates kept in memory, a cluster that refuses every request, the network resources
     * of the --resources file.
     */
    private static final class OfflineRuntime implements HostRuntime.Factory, AutoCloseable {
        private final NetworkResources networks;
        private OfflineKubernetesAccess access;

        OfflineRuntime(NetworkResources networks) {
            this.networks = networks;
        }

        @Override
        public HostRuntime create(HostConfiguration configuration, Path dataDirectory) {
            access = new OfflineKubernetesAccess(configuration.namespace(), "ucloud-im render");
            return new HostRuntime(new InMemoryJobUpdates(), access, Optional.empty(), Optional.empty(), networks);
        }

        @Override
        public void close() {
            if (access != null) {
                access.close();
            }
        }
    }
}
