package dk.sdu.cloud.im.harness.boot;

import dk.sdu.cloud.im.harness.config.ConfigException;
import dk.sdu.cloud.im.harness.plugins.InstalledPlugins;
import dk.sdu.cloud.im.harness.plugins.PluginLoader;
import dk.sdu.cloud.im.harness.settings.KeyWithoutEffect;
import dk.sdu.cloud.im.harness.settings.KeysWithoutEffect;
import dk.sdu.cloud.im.harness.testing.BuiltPlugins;
import dk.sdu.cloud.im.harness.testing.ExampleConfigs;
import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.host.Product;
import dk.sdu.cloud.im.spi.host.Product.Fraction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * UCloud's own configuration keys: the sample written for UCloud's IM loads unchanged, the keys with meaning
 * have it, and each rule taken over from UCloud's parser refuses with the key path.
 */
class UCloudConfigurationRulesTest {
    private static final String MACHINES = "services.compute.machines";
    private static final String STANDARD = MACHINES + ".u1-standard";
    private static final String VM = MACHINES + ".u1-vm";
    private static final String H100 = MACHINES + ".u1-gpu.groups.h100";
    private static final String MIG = MACHINES + ".u1-gpu.groups.h100-mig";
    private static final String COMPUTE = "services.compute";

    private static InstalledPlugins plugins;

    @TempDir
    Path temp;

    @BeforeAll
    static void loadPlugins(@TempDir Path pluginsHome) {
        plugins = PluginLoader.load(BuiltPlugins.copyTo(pluginsHome.resolve("plugins")), "0.1.0");
    }

    @AfterAll
    static void closePlugins() {
        plugins.close();
    }

    private HostConfiguration load(ExampleConfigs config) {
        return new ConfigurationLoader().load(config.writeTo(temp.resolve("config.yml")), plugins);
    }

    private ConfigProblem onlyProblem(ExampleConfigs config) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(config));
        assertThat(e).as("the configuration should have been rejected").isNotNull();
        assertThat(e.problems()).hasSize(1);
        return e.problems().get(0);
    }

    private static ExampleConfigs sample() {
        return ExampleConfigs.ucloudSample();
    }

    private Map<String, Product> products(ExampleConfigs config) {
        return load(config).machineCatalog().products().stream()
                .collect(Collectors.toMap(Product::id, Function.identity()));
    }

    @Test
    void theSampleLoadsWithUCloudsProductNames() {
        HostConfiguration configuration = load(sample());

        assertThat(configuration.namespace()).isEqualTo("ucloud-apps");
        assertThat(configuration.machineCatalog().products()).extracting(Product::id).containsExactly(
                "u1-standard-1", "u1-standard-2", "u1-standard-4", "u1-standard-8", "u1-standard-16",
                "u1-standard-32", "u1-standard-64",
                "u1-vm-2-vcpu", "u1-vm-4-vcpu", "u1-vm-8-vcpu", "u1-vm-16-vcpu", "u1-vm-32-vcpu",
                "u1-gpu-1-gpu", "u1-gpu-2-gpu", "u1-gpu-4-gpu", "u1-gpu-1-mig.1g");
    }

    @Test
    void productsCarryTheGroupsDescriptionsGpuTypeFractionAndTheCategorysReservation() {
        Map<String, Product> products = products(sample());

        Product mig = products.get("u1-gpu-1-mig.1g");
        assertThat(mig.cpuModel()).isEqualTo("Intel Xeon Platinum 8480+");
        assertThat(mig.gpuModel()).isEqualTo("NVIDIA H100 80GB MIG 1g.10gb");
        assertThat(mig.memoryModel()).isEqualTo("DDR5-4800");
        assertThat(mig.gpuType()).isEqualTo("nvidia.com/mig-1g.10gb");
        assertThat(mig.fraction()).isEqualTo(new Fraction(1, 7));
        // No reservation key: 500 millicores over the category's largest machine, 64 vCPUs (GPU products count whole).
        assertThat(mig.reservedCpuMillisPerCore()).isEqualTo(8);
        assertThat(products.get("u1-gpu-1-gpu").gpuType()).isEqualTo("nvidia.com/gpu");
        assertThat(products.get("u1-gpu-1-gpu").fraction()).isEqualTo(Fraction.WHOLE);
        // systemReservedCpuMillisPerCore: 25
        assertThat(products.get("u1-vm-4-vcpu").reservedCpuMillisPerCore()).isEqualTo(25);
        // systemReservedCpuMillis: 500 over 64 vCPUs
        assertThat(products.get("u1-standard-4").reservedCpuMillisPerCore()).isEqualTo(8);
        assertThat(products.get("u1-standard-4").gpuModel()).isEmpty();
    }

    @Test
    void theReservationIsSpreadOverTheFractionOfTheLargestMachine() {
        Map<String, Product> products = products(sample().remove(VM + ".systemReservedCpuMillisPerCore")
                .setYaml(VM + ".systemReservedCpuMillis", "1000")
                .setYaml(VM + ".groups.u1-vm.fraction", "{numerator: 1, denominator: 2}"));

        // largest: 32 vCPUs at 1/2 = 16 cores; ceil(1000 / 16) = 63
        assertThat(products.get("u1-vm-32-mcpu.500").reservedCpuMillisPerCore()).isEqualTo(63);
        assertThat(products.get("u1-vm-32-mcpu.500").fraction()).isEqualTo(new Fraction(1, 2));
    }

    @Test
    void fractionsNameProductsAsUCloudDoes() {
        assertThat(products(sample().setYaml(VM + ".groups.u1-vm.fraction", "\"1 / 4\""))).containsKey("u1-vm-2-mcpu.250");
        assertThat(products(sample().setYaml(MIG + ".gpuType", "amd.com/gpu"))).containsKey("u1-gpu-1-frac.1g");
        assertThat(products(sample().setYaml(MIG + ".fraction", "{numerator: 3, denominator: 7}"))).containsKey("u1-gpu-1-mig.3g");
    }

    @Test
    void aFractionThatIsNotNumeratorSlashDenominatorIsRefused() {
        ConfigProblem problem = onlyProblem(sample().setYaml(MIG + ".fraction", "\"1 of 7\""));
        assertThat(problem.path()).isEqualTo(MIG + ".fraction");
        assertThat(problem.message()).contains("'numerator / denominator'").contains("'1 of 7'");
    }

    @Test
    void aFractionWithoutPositiveDenominatorIsRefused() {
        assertThat(onlyProblem(sample().setYaml(MIG + ".fraction", "{numerator: 1, denominator: 0}")))
                .isEqualTo(new ConfigProblem(MIG + ".fraction", "denominator must be greater than zero, got 0"));
        assertThat(onlyProblem(sample().setYaml(MIG + ".fraction", "\"1 / 0\"")).path()).isEqualTo(MIG + ".fraction");
    }

    @Test
    void aNegativeNumeratorIsRefused() {
        assertThat(onlyProblem(sample().setYaml(MIG + ".fraction", "\"-1 / 7\"")))
                .isEqualTo(new ConfigProblem(MIG + ".fraction", "numerator must not be negative, got -1"));
    }

    @Test
    void bothReservationKeysAreRefused() {
        ConfigProblem problem = onlyProblem(sample().setYaml(VM + ".systemReservedCpuMillis", "500"));
        assertThat(problem.path()).isEqualTo(VM + ".systemReservedCpuMillisPerCore");
        assertThat(problem.message()).contains("systemReservedCpuMillis").contains("not both");
    }

    @Test
    void aReservationOfAWholeVcpuIsRefused() {
        assertThat(onlyProblem(sample().setYaml(VM + ".systemReservedCpuMillisPerCore", "1000")).path())
                .isEqualTo(VM + ".systemReservedCpuMillisPerCore");
        assertThat(onlyProblem(sample().setYaml(STANDARD + ".systemReservedCpuMillis", "-1")).path())
                .isEqualTo(STANDARD + ".systemReservedCpuMillis");
    }

    @Test
    void aPriceWithResourcePaymentIsRefused() {
        ConfigProblem problem = onlyProblem(sample().setYaml(STANDARD + ".groups.u1-standard.price", "[1, 2, 3, 4, 5, 6, 7]"));
        assertThat(problem.path()).isEqualTo(STANDARD + ".groups.u1-standard.price");
        assertThat(problem.message()).startsWith("must not be given when payment.type is Resource");
    }

    @Test
    void moneyPaymentWithoutPriceIsRefused() {
        assertThat(onlyProblem(sample().remove(H100 + ".price")))
                .isEqualTo(new ConfigProblem(H100 + ".price", "is required when payment.type is Money"));
    }

    @Test
    void listsOfDifferentLengthsAreRefused() {
        assertThat(onlyProblem(sample().setYaml(H100 + ".gpu", "[1, 2]")))
                .isEqualTo(new ConfigProblem(H100 + ".gpu", "must have as many entries as cpu (3), got 2"));
    }

    @Test
    void anUnknownNameSuffixIsRefusedWithASuggestion() {
        ConfigProblem problem = onlyProblem(sample().setYaml(VM + ".groups.u1-vm.nameSuffix", "CpuV3"));
        assertThat(problem.path()).isEqualTo(VM + ".groups.u1-vm.nameSuffix");
        assertThat(problem.message()).contains("CpuV2").contains("MemoryV2").contains("GpuV2");
    }

    @Test
    void aGpuV2GroupWithoutGpusIsRefused() {
        assertThat(onlyProblem(sample().setYaml(VM + ".groups.u1-vm.nameSuffix", "GpuV2")))
                .isEqualTo(new ConfigProblem(VM + ".groups.u1-vm.nameSuffix", "is GpuV2, but the group lists no gpu"));
    }

    @Test
    void repeatedV2ProductNamesAreRefused() {
        ConfigProblem problem = onlyProblem(sample().setYaml(VM + ".groups.more",
                "{nameSuffix: CpuV2, cpu: [4], memory: [64], allowVirtualMachines: true, allowContainers: false}"));
        assertThat(problem.path()).isEqualTo(VM + ".groups.more");
        assertThat(problem.message()).contains("'u1-vm-4-vcpu' again").contains("<category>-<cpu>-vcpu");
    }

    @Test
    void theJobsNamespaceIsReadFromServicesAsUCloudDoes() {
        assertThat(load(sample().setYaml("services.namespace", "jobs")).namespace()).isEqualTo("jobs");
        assertThat(load(sample().setYaml(COMPUTE + ".namespace", "ucloud-apps")).namespace()).isEqualTo("ucloud-apps");
        assertThat(load(sample().remove("services.namespace").setYaml(COMPUTE + ".namespace", "mine")).namespace())
                .isEqualTo("mine");
    }

    @Test
    void twoDifferentNamespacesAreRefusedNamingBoth() {
        ConfigProblem problem = onlyProblem(sample().setYaml(COMPUTE + ".namespace", "other"));
        assertThat(problem.path()).isEqualTo("services.namespace");
        assertThat(problem.message()).contains("'ucloud-apps'").contains("services.compute.namespace is 'other'");
    }

    @Test
    void anEnabledWebNeedsPrefixAndSuffix() {
        assertThat(onlyProblem(sample().remove(COMPUTE + ".web.prefix")))
                .isEqualTo(new ConfigProblem(COMPUTE + ".web.prefix", "is required when web.enabled is true"));
        assertThat(onlyProblem(sample().remove(COMPUTE + ".publicLinks.suffix")))
                .isEqualTo(new ConfigProblem(COMPUTE + ".publicLinks.suffix", "is required when publicLinks.enabled is true"));
    }

    @Test
    void syncthingNeedsAnIpAddressAndPortsBelow65535() {
        assertThat(onlyProblem(sample().setYaml(COMPUTE + ".syncthing.ipAddress", "not-an-ip")).path())
                .isEqualTo(COMPUTE + ".syncthing.ipAddress");
        assertThat(onlyProblem(sample().setYaml(COMPUTE + ".syncthing.portMax", "65535")))
                .isEqualTo(new ConfigProblem(COMPUTE + ".syncthing.portMax", "must be between 1 and 65534, got 65535"));
    }

    @Test
    void aModuleNeedsExactlyOneSource() {
        assertThat(onlyProblem(sample().setYaml(COMPUTE + ".modules", "{tools: {subPath: t, claimName: c, hostPath: /srv}}")))
                .isEqualTo(new ConfigProblem(COMPUTE + ".modules.tools.claimName",
                        "give exactly one of claimName and hostPath"));
    }

    @Test
    void theFileSystemsScanAndCatalogRulesApply() {
        assertThat(onlyProblem(sample().setYaml("services.fileSystem.scanMethod.type", "Xattr")))
                .isEqualTo(new ConfigProblem("services.fileSystem.scanMethod.xattr", "is required when scanMethod.type is Xattr"));
        assertThat(onlyProblem(sample().setYaml("services.fileSystem.metadataCatalog.parallelScans", "1")))
                .isEqualTo(new ConfigProblem("services.fileSystem.metadataCatalog.parallelScans", "must be at least 2, got 1"));
    }

    @Test
    void theProvidersEnvoyLogsAndProfilerRulesApply() {
        ConfigException envoy = catchThrowableOfType(ConfigException.class,
                () -> load(sample().setYaml("provider.envoy.managedExternally", "false")));
        assertThat(envoy.problems()).extracting(ConfigProblem::path)
                .containsExactly("provider.envoy.directory", "provider.envoy.executable");
        assertThat(onlyProblem(sample().remove("provider.logs.rotation.retentionPeriodInDays")).path())
                .isEqualTo("provider.logs.rotation.retentionPeriodInDays");
        assertThat(onlyProblem(sample().setYaml("provider.profiler.enabled", "true").remove("provider.profiler.port")))
                .isEqualTo(new ConfigProblem("provider.profiler.port", "is required when profiler.enabled is true"));
    }

    @Test
    void publicIpsMaxPortsIsBounded() {
        assertThat(onlyProblem(sample().setYaml(COMPUTE + ".publicIps.maxPorts", "0")))
                .isEqualTo(new ConfigProblem(COMPUTE + ".publicIps.maxPorts", "must be 1-1000, got 0"));
        assertThat(onlyProblem(sample().setYaml(COMPUTE + ".publicIps.maxPorts", "1001")).path())
                .isEqualTo(COMPUTE + ".publicIps.maxPorts");
        assertThat(onlyProblem(sample().setYaml(COMPUTE + ".publicIps.name", "''")))
                .isEqualTo(new ConfigProblem(COMPUTE + ".publicIps.name", "must not be empty"));
    }

    @Test
    void publicIpsAreReadWithUCloudsDefaults() {
        HostConfiguration configuration = load(sample().setYaml(COMPUTE + ".publicIps", "{enabled: true}"));
        assertThat(configuration.host().services().compute().effectivePublicIps())
                .isEqualTo(new dk.sdu.cloud.im.harness.settings.PublicIpsConfig(true, "public-ip", 100));
    }

    @Test
    void aTypoInUCloudsKeysIsStillAnUnknownKey() {
        ConfigProblem problem = onlyProblem(sample().setYaml(COMPUTE + ".publicIp", "{enabled: true}"));
        assertThat(problem.path()).isEqualTo(COMPUTE + ".publicIp");
        assertThat(problem.message()).contains("did you mean 'publicIps'?");
        assertThat(onlyProblem(sample().setYaml(MIG + ".gpuTyp", "x")).message()).contains("did you mean 'gpuType'?");
    }

    @Test
    void theKeysWithoutEffectAreNamedWithWhy() {
        List<KeyWithoutEffect> keys = load(sample()).withoutEffect();

        assertThat(keys).extracting(KeyWithoutEffect::path).contains("provider.envoy", "provider.ipc",
                "provider.logs", "services.taskNamespace", "services.fileSystem.scanMethod",
                COMPUTE + ".inference", H100 + ".customRuntime",
                MIG + ".customRuntime");
        assertThat(keys).extracting(KeyWithoutEffect::path).doesNotContain("services.namespace",
                COMPUTE + ".web", COMPUTE + ".publicLinks", COMPUTE + ".publicIps",
                COMPUTE + ".virtualMachines.podLevelResources", MIG + ".fraction", MIG + ".gpuType");
        assertThat(keys).contains(new KeyWithoutEffect(COMPUTE + ".inference",
                "UCloud's inference service: not offered by this IM"));
        assertThat(KeysWithoutEffect.warning(keys)).hasValueSatisfying(line -> assertThat(line)
                .startsWith(keys.size() + " configuration keys have no effect in this IM")
                .contains("provider.envoy (this IM needs no gateway of its own"));
        assertThat(KeysWithoutEffect.warning(List.of())).isEmpty();
    }
}
