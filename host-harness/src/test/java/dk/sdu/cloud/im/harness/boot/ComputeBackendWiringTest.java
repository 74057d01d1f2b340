package dk.sdu.cloud.im.harness.boot;

import dk.sdu.cloud.im.harness.kubernetes.LazyKubernetesAccess;
import dk.sdu.cloud.im.harness.config.ConfigException;
import dk.sdu.cloud.im.harness.testing.BuiltPlugins;
import dk.sdu.cloud.im.harness.testing.ExampleConfigs;
import dk.sdu.cloud.im.harness.testing.TestPlugins;
import dk.sdu.cloud.im.spi.config.ConfigProblem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A compute backend shaped like the KubeVirt one (built at test time, installed instead of the real one): it gets
 * its own section at
 * {@code services.compute.virtualMachines} without the host's {@code storage}, a section of a helper class
 * Guice builds for it, the selected storage and the host services.
 */
class ComputeBackendWiringTest {
    private static final String VMS = "services.compute.virtualMachines";
    private static Path backendJar;
    private static Path failingBackendJar;

    @TempDir
    Path temp;

    @BeforeAll
    static void buildThePlugins(@TempDir Path workshop) {
        backendJar = TestPlugins.fakeComputeBackend(workshop.resolve("ok"));
        failingBackendJar = TestPlugins.fakeComputeBackend(workshop.resolve("failing"),
                "if (true) throw new IllegalStateException(\"the backend refuses to be created\");");
    }

    private HostOptions options(ExampleConfigs config, Path backend) throws Exception {
        // The built storage plugins, without the real KubeVirt backend: the fake one stands in its place here.
        Path plugins = BuiltPlugins.copyTo(temp.resolve("plugins"), jar -> !jar.startsWith("im-plugin-kubevirt-"));
        if (backend != null) {
            Files.copy(backend, plugins.resolve(backend.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        return new HostOptions(config.writeTo(temp.resolve("config.yaml")), plugins, temp.resolve("state"));
    }

    @Test
    void theBackendGetsItsSectionsTheStorageAndTheHostServices() throws Exception {
        ExampleConfigs config = ExampleConfigs.of("config-hostpath.yaml")
                .setYaml(VMS + ".podLevelResources", "true")
                .setYaml("services.compute.fakeTuning.level", "3");
        try (ImHost host = ImHost.assemble(options(config, backendJar))) {
            assertThat(host.computeBackends()).singleElement().satisfies(backend -> assertThat(backend.name())
                    .isEqualTo("enabled=true podLevelResources=true storageKeysSeen=false tuning=3 storage=HostPath "
                            + "mountPoint=/mnt/ucloud namespace=ucloud-apps"));
            assertThat(host.kubernetes()).isInstanceOfSatisfying(LazyKubernetesAccess.class, k -> assertThat(k.isBuilt()).isFalse());
        }
    }

    @Test
    void theExamplesLoadWithTheBackendsSectionAbsent() throws Exception {
        try (ImHost host = ImHost.assemble(options(ExampleConfigs.of("config-csi.yaml"), backendJar))) {
            assertThat(host.computeBackends()).singleElement().satisfies(backend -> assertThat(backend.name())
                    .startsWith("enabled=true podLevelResources=false storageKeysSeen=false tuning=7 storage=CsiStaticPv"));
        }
    }

    @Test
    void withVirtualMachinesDisabledTheBackendGetsTheRefusingStorage() throws Exception {
        ExampleConfigs config = ExampleConfigs.of("config-hostpath.yaml").remove(VMS);
        try (ImHost host = ImHost.assemble(options(config, backendJar))) {
            assertThat(host.computeBackends()).singleElement().satisfies(backend -> assertThat(backend.name())
                    .startsWith("enabled=false podLevelResources=false storageKeysSeen=false tuning=7 storage=none"));
        }
    }

    @Test
    void theBackendsKeysAreCheckedLikeAnyOther() throws Exception {
        ExampleConfigs config = ExampleConfigs.of("config-hostpath.yaml")
                .setYaml(VMS + ".podLevelResources", "maybe")
                .setYaml(VMS + ".podLevelResource", "true");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ImHost.assemble(options(config, backendJar)));
        assertThat(e.problems()).containsExactly(
                new ConfigProblem(VMS + ".podLevelResource", "unknown key 'podLevelResource' (did you mean "
                        + "'podLevelResources'?); known keys here: enabled, podLevelResources, storage"),
                new ConfigProblem(VMS + ".podLevelResources", "expected true or false, got 'maybe'"));
    }

    @Test
    void withoutTheBackendItsKeysAreUnknown() throws Exception {
        ExampleConfigs config = ExampleConfigs.of("config-hostpath.yaml").setYaml(VMS + ".podLevelResources", "true");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ImHost.assemble(options(config, null)));
        assertThat(e.problems()).containsExactly(new ConfigProblem(VMS + ".podLevelResources",
                "unknown key 'podLevelResources'; known keys here: enabled, storage"));
    }

    @Test
    void aBackendThatCannotBeCreatedStopsTheStartNamingIt() throws Exception {
        HostOptions options = options(ExampleConfigs.of("config-hostpath.yaml"), failingBackendJar);
        assertThatThrownBy(() -> ImHost.assemble(options))
                .isInstanceOf(HostAssemblyException.class)
                .hasMessageContaining("cannot create extension org.example.fakevm.FakeVmBackend of plugin 'compute-fake' "
                        + "(compute-fake-0.9.0.jar)")
                .hasMessageContaining("the backend refuses to be created");
    }
}
