package dk.sdu.cloud.im.harness.testing;

import java.nio.file.Path;

/**
 * A third-party compute backend plugin, built at test time, for the host's own tests: tool backend
 * {@value #TOOL_BACKEND}, so it never competes with the KubeVirt backend. It reports what a real backend
 * would, through the host's {@code JobUpdates}: start sends a message and then RUNNING, suspend SUSPENDED,
 * unsuspend RUNNING, terminate SUCCESS. {@code open()} lists ConfigMaps in the namespace (it needs the
 * cluster), and a job whose name is {@value #REJECTED_NAME} is rejected by verify, start and render. Its shell
 * greets with {@value #SHELL_GREETING} and echoes input. When the system property {@value #ROUTE_PORT} is set, it
 * asks for the websocket route {@value #ROUTE_PATH} at that port, whose connections echo text prefixed with
 * {@code "scripted: "}; with {@value #ROUTE_CLASH} {@code true}, it asks for that route twice. Its rendered
 * manifests end with a comment line per network resource of the job, with what the host's
 * {@code NetworkResources} knows of it ({@code # network 4501: 203.0.113.20}, {@code # ingress 4601:
 * app-notebook.apps.hpc.example.org}, {@code # private_network 4701: analysis-cluster}, or {@code unknown}).
 */
public final class ScriptedComputePlugin {
    public static final String TOOL_BACKEND = "SCRIPTED";
    public static final String REJECTED_NAME = "please reject me";
    public static final String REJECTION = "scripted backend: this job asked to be rejected";
    public static final String SHELL_GREETING = "scripted shell ready";
    public static final String ROUTE_PORT = "scripted.routePort";
    public static final String ROUTE_CLASH = "scripted.routeClash";
    public static final String ROUTE_PATH = "/scripted";

    private ScriptedComputePlugin() {
    }

    /** Builds the jar into {@code directory}. */
    public static Path build(Path directory) {
        return PluginJarBuilder.plugin("compute-scripted", "1.0.0")
                .source("org.example.scripted.ScriptedBackend", """
                        package org.example.scripted;

                        import dk.sdu.cloud.im.spi.compute.ComputeBackend;
                        import dk.sdu.cloud.im.spi.compute.DynamicParameter;
                        import dk.sdu.cloud.im.spi.compute.JobRejectedException;
                        import dk.sdu.cloud.im.spi.host.JobUpdates;
                        import dk.sdu.cloud.im.spi.host.Product;
                        import dk.sdu.cloud.im.spi.job.AppParameterValue;
                        import dk.sdu.cloud.im.spi.job.Job;
                        import dk.sdu.cloud.im.spi.job.JobState;
                        import dk.sdu.cloud.im.spi.job.JobUpdate;
                        import dk.sdu.cloud.im.spi.job.NameAndVersion;
                        import dk.sdu.cloud.im.spi.kubernetes.KubernetesAccess;
                        import dk.sdu.cloud.im.spi.network.NetworkResources;
                        import dk.sdu.cloud.im.spi.network.PrivateNetwork;
                        import dk.sdu.cloud.im.spi.network.PublicIp;
                        import dk.sdu.cloud.im.spi.network.PublicLink;
                        import dk.sdu.cloud.im.spi.compute.TerminalOutput;
                        import dk.sdu.cloud.im.spi.compute.TerminalSession;
                        import dk.sdu.cloud.im.spi.compute.TerminalSize;
                        import dk.sdu.cloud.im.spi.socket.WebSocketListener;
                        import dk.sdu.cloud.im.spi.socket.WebSocketRoute;
                        import jakarta.inject.Inject;
                        import java.nio.ByteBuffer;
                        import java.util.List;
                        import java.util.Set;
                        import org.pf4j.Extension;

                        @Extension
                        public final class ScriptedBackend implements ComputeBackend {
                            private final JobUpdates updates;
                            private final KubernetesAccess kubernetes;
                            private final NetworkResources networks;

                            @Inject
                            public ScriptedBackend(JobUpdates updates, KubernetesAccess kubernetes,
                                                   NetworkResources networks) {
                                this.updates = updates;
                                this.kubernetes = kubernetes;
                                this.networks = networks;
                            }

                            @Override public String name() { return "Scripted"; }
                            @Override public Set<String> toolBackends() { return Set.of("%s"); }

                            @Override
                            public void verify(Job job) {
                                if ("%s".equals(job.specification().name())) {
                                    throw new JobRejectedException("%s");
                                }
                            }

                            @Override
                            public void start(Job job) {
                                verify(job);
                                updates.send(job.id(), JobUpdate.message("Preparing: 50%%", System.currentTimeMillis()));
                                updates.send(job.id(), JobUpdate.state(JobState.RUNNING, "Running", System.currentTimeMillis()));
                            }

                            @Override
                            public void suspend(Job job) {
                                updates.send(job.id(), JobUpdate.state(JobState.SUSPENDED, null, System.currentTimeMillis()));
                            }

                            @Override
                            public void unsuspend(Job job) {
                                updates.send(job.id(), JobUpdate.state(JobState.RUNNING, null, System.currentTimeMillis()));
                            }

                            @Override
                            public void terminate(Job job) {
                                updates.send(job.id(), JobUpdate.state(JobState.SUCCESS, "Terminated", System.currentTimeMillis()));
                            }

                            @Override public boolean supportsProduct(Product product) { return true; }
                            @Override public List<DynamicParameter> dynamicParameters(NameAndVersion application) { return List.of(); }

                            @Override
                            public String renderManifests(Job job) {
                                verify(job);
                                StringBuilder lookups = new StringBuilder();
                                for (AppParameterValue resource : job.specification().resources()) {
                                    String found = switch (String.valueOf(resource.type())) {
                                        case "network" -> networks.publicIp(resource.id())
                                                .map(PublicIp::externalAddress).orElse("unknown");
                                        case "ingress" -> networks.publicLink(resource.id())
                                                .map(PublicLink::domain).orElse("unknown");
                                        case "private_network" -> networks.privateNetwork(resource.id())
                                                .map(PrivateNetwork::subdomain).orElse("unknown");
                                        default -> null;
                                    };
                                    if (found != null) {
                                        lookups.append("# ").append(resource.type()).append(' ').append(resource.id())
                                                .append(": ").append(found).append("\\n");
                                    }
                                }
                                return "kind: Scripted\\nmetadata:\\n  name: job-" + job.id() + "\\n  namespace: "
                                        + kubernetes.namespace() + "\\n" + lookups;
                            }

                            @Override
                            public void open() {
                                kubernetes.client().configMaps().inNamespace(kubernetes.namespace()).list();
                            }

                            @Override
                            public TerminalSession openShell(Job job, int rank, TerminalSize size, TerminalOutput output) {
                                output.data("%s\\r\\n");
                                return new TerminalSession() {
                                    @Override public void input(String data) { output.data(data); }
                                    @Override public void resize(TerminalSize newSize) { }
                                    @Override public void close() { }
                                };
                            }

                            @Override
                            public List<WebSocketRoute> webSocketRoutes() {
                                String port = System.getProperty("%s");
                                if (port == null) {
                                    return List.of();
                                }
                                WebSocketRoute route = new WebSocketRoute(Integer.parseInt(port), "%s", 1024,
                                        connection -> new WebSocketListener() {
                                            @Override public void onText(String text) { connection.sendText("scripted: " + text); }
                                            @Override public void onBinary(ByteBuffer data) { }
                                            @Override public void onClose(int code, String reason) { }
                                        });
                                return Boolean.getBoolean("%s") ? List.of(route, route) : List.of(route);
                            }
                        }
                        """.formatted(TOOL_BACKEND, REJECTED_NAME, REJECTION, SHELL_GREETING, ROUTE_PORT, ROUTE_PATH,
                        ROUTE_CLASH))
                .build(directory.resolve("compute-scripted.jar"));
    }

    /** A job for this backend, as JSON: the example VM job with tool backend {@value #TOOL_BACKEND}. */
    public static String job(String id, String name) {
        return job(id, name, TOOL_BACKEND);
    }

    /** The same job for another tool backend (another test plugin's). */
    public static String job(String id, String name, String toolBackend) {
        return """
                {
                  "id": "%s",
                  "createdAt": 1764000000000,
                  "owner": { "createdBy": "alice#1234", "project": null },
                  "specification": {
                    "application": { "name": "scripted-app", "version": "1" },
                    "product": { "id": "u1-standard-4", "category": "u1-standard", "provider": "k8s" },
                    "name": "%s",
                    "replicas": 1,
                    "parameters": {},
                    "resources": []
                  },
                  "status": {
                    "state": "IN_QUEUE",
                    "resolvedApplication": {
                      "metadata": { "name": "scripted-app", "version": "1", "title": "A scripted app" },
                      "invocation": { "tool": { "name": "scripted-app", "version": "1",
                        "tool": { "description": { "backend": "%s" } } } }
                    }
                  }
                }
                """.formatted(id, name, toolBackend);
    }
}
