package dk.sdu.cloud.im.harness.testing;

import java.nio.file.Path;

/**
 * A third-party compute backend plugin, built at test time, whose code fails at run time the way a buggy
 * plugin does: tool backend {@value #TOOL_BACKEND}, plugin id {@value #PLUGIN_ID}, name {@value #NAME}. A job
 * named {@value #FAIL_IN_VERIFY} makes verify throw an {@code IllegalStateException} carrying
 * {@value #INTERNAL_DETAIL}; {@value #FAIL_IN_START}, start; {@value #MISSING_CLASS}, verify throws the
 * {@code NoClassDefFoundError} of a plugin that expected the host to provide Jackson 2. Asking it for the
 * dynamic parameters of an application named {@value #FAIL_IN_VERIFY} throws too.
 */
public final class FaultyComputePlugin {
    public static final String PLUGIN_ID = "compute-faulty";
    public static final String NAME = "Faulty";
    public static final String TOOL_BACKEND = "FAULTY";
    public static final String FAIL_IN_VERIFY = "fail in verify";
    public static final String FAIL_IN_START = "fail in start";
    public static final String MISSING_CLASS = "missing class";
    /** What the failures carry; it must reach the log, never the caller. */
    public static final String INTERNAL_DETAIL = "internal detail /var/lib/faulty";

    private FaultyComputePlugin() {
    }

    /** Builds the jar into {@code directory}. */
    public static Path build(Path directory) {
        return PluginJarBuilder.plugin(PLUGIN_ID, "1.0.0")
                .source("org.example.faulty.FaultyBackend", """
                        package org.example.faulty;

                        import dk.sdu.cloud.im.spi.compute.ComputeBackend;
                        import dk.sdu.cloud.im.spi.compute.DynamicParameter;
                        import dk.sdu.cloud.im.spi.host.Product;
                        import dk.sdu.cloud.im.spi.job.Job;
                        import dk.sdu.cloud.im.spi.job.NameAndVersion;
                        import java.util.List;
                        import java.util.Set;
                        import org.pf4j.Extension;

                        @Extension
                        public final class FaultyBackend implements ComputeBackend {
                            @Override public String name() { return "%1$s"; }
                            @Override public Set<String> toolBackends() { return Set.of("%2$s"); }

                            @Override
                            public void verify(Job job) {
                                if ("%3$s".equals(job.specification().name())) {
                                    throw new IllegalStateException("%6$s");
                                }
                                if ("%5$s".equals(job.specification().name())) {
                                    throw new NoClassDefFoundError("com/fasterxml/jackson/databind/ObjectMapper");
                                }
                            }

                            @Override
                            public void start(Job job) {
                                if ("%4$s".equals(job.specification().name())) {
                                    throw new IllegalStateException("%6$s", new java.io.IOException("no route to host"));
                                }
                            }

                            @Override public void suspend(Job job) { }
                            @Override public void unsuspend(Job job) { }
                            @Override public void terminate(Job job) { }
                            @Override public boolean supportsProduct(Product product) { return true; }

                            @Override
                            public List<DynamicParameter> dynamicParameters(NameAndVersion application) {
                                if ("%3$s".equals(application.name())) {
                                    throw new IllegalStateException("%6$s");
                                }
                                return List.of();
                            }

                            @Override public String renderManifests(Job job) { verify(job); return ""; }
                        }
                        """.formatted(NAME, TOOL_BACKEND, FAIL_IN_VERIFY, FAIL_IN_START, MISSING_CLASS, INTERNAL_DETAIL))
                .build(directory.resolve(PLUGIN_ID + ".jar"));
    }

    /** A job for this backend, as JSON. */
    public static String job(String id, String name) {
        return ScriptedComputePlugin.job(id, name, TOOL_BACKEND);
    }
}
