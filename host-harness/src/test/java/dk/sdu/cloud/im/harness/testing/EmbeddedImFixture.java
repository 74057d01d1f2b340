package dk.sdu.cloud.im.harness.testing;

import dk.sdu.cloud.im.harness.api.ExampleJobs;
import dk.sdu.cloud.im.harness.boot.HostOptions;
import dk.sdu.cloud.im.harness.client.HarnessClient;
import dk.sdu.cloud.im.harness.demo.DemoImage;
import dk.sdu.cloud.im.harness.demo.ImageServer;
import dk.sdu.cloud.im.harness.kubernetes.EmbeddedCluster;
import dk.sdu.cloud.im.harness.kubernetes.EmbeddedClusterFiles;
import dk.sdu.cloud.im.harness.kubernetes.EmbeddedClusterGuests;
import dk.sdu.cloud.im.harness.kubernetes.StandardClusterConnector;
import dk.sdu.cloud.im.harness.serve.ImServer;
import dk.sdu.cloud.im.simulator.EmbeddedKubernetes;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * An IM in embedded mode for integration tests, over an in-process Kubernetes API that the fixture owns, so
 * that IMs can be stopped and started again over the same cluster and the same data directory (an IM
 * restart). Each IM gets its own KubeVirt simulator on that API. Also: a provider file system and a trash
 * staging area in a temporary folder (HostPath storage), a qcow2 image served on loopback, the example
 * configuration's products, and a client of the API for looking at the objects.
 */
public final class EmbeddedImFixture implements AutoCloseable {
    public static final String NAMESPACE = "ucloud-apps";
    public static final String JOBS = "/ucloud/k8s/jobs";
    public static final ResourceDefinitionContext VMS = kubevirt("VirtualMachine", "virtualmachines");
    public static final ResourceDefinitionContext VMIS = kubevirt("VirtualMachineInstance", "virtualmachineinstances");

    private final Path root;
    private final EmbeddedKubernetes api;
    private final KubernetesClient observer;
    private final ImageServer images;
    private final Path config;
    private final Path plugins;

    public EmbeddedImFixture(Path root) {
        this(root, UnaryOperator.identity());
    }

    /** With the configuration changed by {@code settings} (after the fixture's own settings). */
    public EmbeddedImFixture(Path root, UnaryOperator<ExampleConfigs> settings) {
        this.root = root;
        try {
            Files.createDirectories(fileSystem().resolve("trash"));
            Files.createDirectories(fileSystem().resolve("collections/17/Data"));
            Files.createDirectories(fileSystem().resolve("collections/17/Reference"));
            Files.createDirectories(root.resolve("image"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.plugins = BuiltPlugins.copyTo(root.resolve("plugins"));
        this.images = ImageServer.serve(DemoImage.make(root.resolve("image").resolve("test.qcow2")), "test.qcow2");
        this.api = EmbeddedKubernetes.start();
        this.observer = api.newClient();
        String fs = fileSystem().toAbsolutePath().toString();
        this.config = settings.apply(ServeConfigs.embedded(root.resolve("data"))
                .setYaml("services.fileSystem.mountPoint", "'" + fs + "'")
                .setYaml("services.fileSystem.trashStagingArea", "'" + fs + "/trash'")
                .setYaml("services.compute.virtualMachines.storage.hostPath", "'" + fs + "'")
                // The image server is on loopback: allowed as an operator allows an internal mirror.
                .setYaml("services.compute.virtualMachines.imageDownloads", "{ allowedNetworks: [ 127.0.0.1/32 ] }")
                // The guest agents' endpoint on a loopback port the IM binds as it starts (port 0): the example's
                // port 42000 may be held by another IM on the machine (a test running at the same time).
                .setYaml("services.compute.virtualMachines.agentEndpoint", "'" + ServeConfigs.AGENT_ENDPOINT + "'"))
                .writeTo(root.resolve("config.yaml"));
    }

    /** The provider file system (the configuration's mount point). */
    public Path fileSystem() {
        return root.resolve("fs");
    }

    /**
     * Starts an IM as {@code ucloud-im serve} runs in embedded mode: with a cluster of its own (not the
     * fixture's API), which keeps its objects and writes its kubeconfig in the data directory
     * ({@link EmbeddedClusterFiles}); guests as the configuration says. Look at its objects through
     * {@code server.cluster().access().client()}.
     */
    public ImServer startServe() {
        return ImServer.start(new HostOptions(config, plugins), new StandardClusterConnector());
    }

    /** The IMs' data directory. */
    public Path dataDirectory() {
        return root.resolve("data");
    }

    /** Starts an IM on the fixture's API server and data directory. */
    public ImServer startIm() {
        return ImServer.start(new HostOptions(config, plugins), (settings, folder, namespace) -> EmbeddedCluster.attach(api, namespace));
    }

    /**
     * Starts an IM whose running VMs boot simulated guests, as {@code ucloud-im serve} in embedded mode does:
     * roots in {@code data/embedded-guests/}, the agent launcher {@code fs/ucloud-exe/vmagent} (where the
     * KubeVirt plugin installs the agent bundle), serial consoles on the fixture's API.
     */
    public ImServer startImWithGuests() {
        return startImWithGuests(fileSystem().resolve("ucloud-exe").resolve("vmagent"));
    }

    /** {@link #startImWithGuests()} with another agent launcher (a test's stand-in for the agent). */
    public ImServer startImWithGuests(Path agentLauncher) {
        EmbeddedClusterGuests guests = new EmbeddedClusterGuests(
                root.resolve("data").resolve(EmbeddedClusterGuests.ROOTS_FOLDER), agentLauncher);
        return ImServer.start(new HostOptions(config, plugins),
                (settings, folder, namespace) -> EmbeddedCluster.attach(api, namespace, Optional.of(guests)));
    }

    /** The root of a simulated guest (see {@link #startImWithGuests()}). */
    public Path guestRoot(String jobId) {
        return root.resolve("data").resolve(EmbeddedClusterGuests.ROOTS_FOLDER).resolve(NAMESPACE)
                .resolve("vm-" + jobId + "-0");
    }

    /** A client of the provider API and job view of a running IM. */
    public HarnessClient client(ImServer server) {
        return new HarnessClient(server.url(), ServeConfigs.credentials(), Duration.ofSeconds(30));
    }

    /** The example VM job with this id and the served image. */
    public ObjectNode job(String id) {
        ObjectNode job = ExampleJobs.vmJob(id);
        ((ObjectNode) job.at("/status/resolvedApplication/invocation/tool/tool/description")).put("image", images.url().toString());
        return job;
    }

    /** {@code {"items": [{"job": job}, ...]}} for suspend and unsuspend. */
    public static String wrapped(JsonNode... jobs) {
        ObjectNode body = ExampleJobs.JSON.createObjectNode();
        for (JsonNode job : jobs) {
            body.withArray("items").addObject().set("job", job);
        }
        return ExampleJobs.JSON.writeValueAsString(body);
    }

    /** A client of the API server, for looking at the objects. */
    public KubernetesClient observer() {
        return observer;
    }

    /** The VM of a job, or null. */
    public GenericKubernetesResource vm(String jobId) {
        return observer.genericKubernetesResources(VMS).inNamespace(NAMESPACE).withName("vm-" + jobId + "-0").get();
    }

    /** The VMI of a job, or null. */
    public GenericKubernetesResource vmi(String jobId) {
        return observer.genericKubernetesResources(VMIS).inNamespace(NAMESPACE).withName("vm-" + jobId + "-0").get();
    }

    /** {@code spec.runStrategy} of a VM. */
    @SuppressWarnings("unchecked")
    public static String runStrategy(GenericKubernetesResource vm) {
        return String.valueOf(((Map<String, Object>) vm.getAdditionalProperties().get("spec")).get("runStrategy"));
    }

    /** How many downloads of the image the server answered. */
    public int imageDownloads() {
        return images.downloads();
    }

    @Override
    public void close() {
        api.close();
        images.close();
    }

    private static ResourceDefinitionContext kubevirt(String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup("kubevirt.io").withVersion("v1").withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }
}
