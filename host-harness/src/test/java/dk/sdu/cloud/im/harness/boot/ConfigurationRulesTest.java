package dk.sdu.cloud.im.harness.boot;

import dk.sdu.cloud.im.harness.config.ConfigException;
import dk.sdu.cloud.im.harness.config.YamlConfigReader;
import dk.sdu.cloud.im.harness.plugins.InstalledPlugins;
import dk.sdu.cloud.im.harness.plugins.PluginLoader;
import dk.sdu.cloud.im.harness.testing.BuiltPlugins;
import dk.sdu.cloud.im.harness.testing.ExampleConfigs;
import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.host.Product;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Every rule of the host's keys and of the storage sections, one test each, against the real plugins. */
class ConfigurationRulesTest {
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
        return new ConfigurationLoader().load(config.writeTo(temp.resolve("config.yaml")), plugins);
    }

    private List<ConfigProblem> problems(ExampleConfigs config) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(config));
        assertThat(e).as("the configuration should have been rejected").isNotNull();
        return e.problems();
    }

    private ConfigProblem onlyProblem(ExampleConfigs config) {
        List<ConfigProblem> problems = problems(config);
        assertThat(problems).hasSize(1);
        return problems.get(0);
    }

    private static ExampleConfigs hostPath() {
        return ExampleConfigs.of("config-hostpath.yaml");
    }

    private static ExampleConfigs csi() {
        return ExampleConfigs.of("config-csi.yaml");
    }

    private static final String SSH = "services.compute.ssh";
    private static final String GROUP = "services.compute.machines.u1-standard.groups.u1-standard";
    private static final String STORAGE = "services.compute.virtualMachines.storage";

    @Test
    void bothExamplesLoadAsShipped() {
        for (String name : List.of("config-hostpath.yaml", "config-csi.yaml")) {
            HostConfiguration configuration = new ConfigurationLoader().load(ExampleConfigs.file(name), plugins);
            assertThat(configuration.virtualMachinesEnabled()).isTrue();
            assertThat(configuration.namespace()).isEqualTo("ucloud-apps");
            assertThat(configuration.providerSettings().providerId()).isEqualTo("k8s");
            assertThat(configuration.providerSettings().isSensitive("7f1c0e1e-sensitive")).isTrue();
            assertThat(configuration.sshSettings().portMin()).isEqualTo(2000);
            assertThat(configuration.machineCatalog().products()).extracting(Product::id)
                    .containsExactly("u1-standard-1", "u1-standard-2", "u1-standard-4", "u1-standard-8",
                            "u1-containers-1", "u1-containers-2");
        }
        assertThat(load(hostPath()).storage().orElseThrow().storageType()).contains("HostPath");
        assertThat(load(csi()).storage().orElseThrow().storageType()).contains("CsiStaticPv");
    }

    @Test
    void defaultsApplyWhenOptionalKeysAreLeftOut() {
        HostConfiguration configuration = load(hostPath().remove("services.compute.namespace").remove(SSH)
                .remove("services.sensitiveProjects").remove("services.compute.virtualMachines"));
        assertThat(configuration.namespace()).isEqualTo("ucloud-apps");
        assertThat(configuration.sshSettings().enabled()).isFalse();
        assertThat(configuration.providerSettings().sensitiveProjects()).isEmpty();
        assertThat(configuration.virtualMachinesEnabled()).isFalse();
        assertThat(configuration.storage()).isEmpty();
    }

    @Test
    void aMissingKeyIsReported() {
        assertThat(onlyProblem(hostPath().remove("provider.id")))
                .isEqualTo(new ConfigProblem("provider.id", "missing required key (expected text)"));
        assertThat(onlyProblem(hostPath().remove("services.fileSystem.mountPoint")))
                .isEqualTo(new ConfigProblem("services.fileSystem.mountPoint", "missing required key (expected text)"));
    }

    @Test
    void aMissingKeyDoesNotHideAProblemOfItsSibling() {
        assertThat(problems(hostPath()
                .remove("services.fileSystem.trashStagingArea")
                .setYaml("services.fileSystem.mountPoint", "mnt")))
                .containsExactly(
                        new ConfigProblem("services.fileSystem.mountPoint", "must be an absolute path, got 'mnt'"),
                        new ConfigProblem("services.fileSystem.trashStagingArea", "missing required key (expected text)"));
    }

    @Test
    void aWrongTypeIsReportedWithTheValue() {
        assertThat(onlyProblem(hostPath().setYaml(SSH + ".portMin", "abc")))
                .isEqualTo(new ConfigProblem(SSH + ".portMin", "expected an integer, got 'abc'"));
        assertThat(onlyProblem(hostPath().setYaml("services.compute.virtualMachines.enabled", "sometimes")))
                .isEqualTo(new ConfigProblem("services.compute.virtualMachines.enabled", "expected true or false, got 'sometimes'"));
    }

    @Test
    void aBadImageDownloadNetworkIsReportedWithItsKeyPath() {
        String downloads = "services.compute.virtualMachines.imageDownloads";
        assertThat(problems(hostPath().setYaml(downloads,
                "{ allowedNetworks: [ 10.0.5.0/24, 10.0.5.1/24 ], blockedNetworks: [ cluster.local ] }")))
                .containsExactly(
                        new ConfigProblem(downloads + ".allowedNetworks[1]", "'10.0.5.1/24': the address has bits "
                                + "set beyond its /24 prefix; did you mean 10.0.5.0/24?"),
                        new ConfigProblem(downloads + ".blockedNetworks[0]", "is not an IP network in CIDR notation "
                                + "(e.g. 10.0.5.0/24 or fd00::/8), got 'cluster.local'"));
        assertThat(problems(hostPath().setYaml(downloads + ".allowedNetworks", "10.0.5.0/24")))
                .containsExactly(new ConfigProblem(downloads + ".allowedNetworks",
                        "expected a list of text, got '10.0.5.0/24'"));
    }

    @Test
    void imageDownloadNetworksThatAreValidLoad() {
        load(hostPath().setYaml("services.compute.virtualMachines.imageDownloads",
                "{ allowedNetworks: [ 10.0.5.0/24, 'fd00:5::/64', 192.0.2.7 ], blockedNetworks: [ 10.96.0.0/12 ] }"));
    }

    @Test
    void anUnknownKeyIsReportedWithASuggestion() {
        ConfigProblem problem = onlyProblem(hostPath().setYaml(SSH + ".ipAdress", "10.0.0.11"));
        assertThat(problem.path()).isEqualTo(SSH + ".ipAdress");
        assertThat(problem.message()).isEqualTo("unknown key 'ipAdress' (did you mean 'ipAddress'?); "
                + "known keys here: enabled, hostname, ipAddress, portMax, portMin");
    }

    @Test
    void anUnknownKeyOfAStoragePluginIsReportedWithItsPluginsKeys() {
        ConfigProblem problem = onlyProblem(hostPath().setYaml(STORAGE + ".hostpath", "/x"));
        assertThat(problem.path()).isEqualTo(STORAGE + ".hostpath");
        assertThat(problem.message()).contains("(did you mean 'hostPath'?)").contains("known keys here: hostPath, type");
    }

    @Test
    void anUnknownStorageTypeListsTheInstalledTypes() {
        ConfigProblem problem = onlyProblem(hostPath().setYaml(STORAGE + ".type", "HostPth"));
        assertThat(problem).isEqualTo(new ConfigProblem(STORAGE + ".type",
                "unknown storage type 'HostPth' (did you mean 'HostPath'?); installed storage types: CsiStaticPv, HostPath"));
    }

    @Test
    void theStorageTypeIsRequiredWhenVirtualMachinesAreEnabled() {
        assertThat(onlyProblem(hostPath().remove(STORAGE))).isEqualTo(new ConfigProblem(STORAGE + ".type",
                "is required when virtualMachines.enabled is true (it names the storage backend of VM disks)"));
    }

    @Test
    void theSelectedStoragePluginsKeysAreRequiredAndChecked() {
        assertThat(onlyProblem(hostPath().remove(STORAGE + ".hostPath")))
                .isEqualTo(new ConfigProblem(STORAGE + ".hostPath", "missing required key (expected text)"));
        assertThat(onlyProblem(hostPath().setYaml(STORAGE + ".hostPath", "mnt/ucloud")))
                .isEqualTo(new ConfigProblem(STORAGE + ".hostPath", "must be an absolute path, got 'mnt/ucloud'"));
    }

    @Test
    void theStorageSectionIsCheckedEvenWhenVirtualMachinesAreDisabled() {
        assertThat(onlyProblem(hostPath().setYaml("services.compute.virtualMachines.enabled", "false")
                .remove(STORAGE + ".hostPath")).path()).isEqualTo(STORAGE + ".hostPath");
    }

    @Test
    void aBadSubpathFieldIsReported() {
        assertThat(onlyProblem(csi().setYaml(STORAGE + ".csi.subpathField", "volumeAttributes.subvolume")))
                .isEqualTo(new ConfigProblem(STORAGE + ".csi.subpathField", "'volumeAttributes.subvolume' names no key of "
                        + "csi.volumeAttributes (keys: clusterID, fsName, rootPath, staticVolume)"));
        assertThat(onlyProblem(csi().setYaml(STORAGE + ".csi.subpathField", "rootPath")))
                .isEqualTo(new ConfigProblem(STORAGE + ".csi.subpathField",
                        "must have the form 'volumeAttributes.<key>', got 'rootPath'"));
    }

    @Test
    void keysBelowAnUnknownStorageTypeAreNotGuessedAt() {
        List<ConfigProblem> problems = problems(csi().setYaml(STORAGE + ".type", "Ceph"));
        assertThat(problems).extracting(ConfigProblem::path).containsExactly(STORAGE + ".type");
    }

    @Test
    void parallelProductListsMustHaveEqualLengths() {
        assertThat(onlyProblem(hostPath().setYaml(GROUP + ".memory", "[4, 8]")))
                .isEqualTo(new ConfigProblem(GROUP + ".memory", "must have as many entries as cpu (4), got 2"));
        assertThat(onlyProblem(hostPath().setYaml(GROUP + ".gpu", "[0, 1]")))
                .isEqualTo(new ConfigProblem(GROUP + ".gpu", "must have as many entries as cpu (4), got 2"));
    }

    @Test
    void productListsMustHoldSensibleNumbers() {
        assertThat(onlyProblem(hostPath().setYaml(GROUP + ".cpu", "[]").setYaml(GROUP + ".memory", "[]")).path())
                .isEqualTo(GROUP + ".cpu");
        assertThat(onlyProblem(hostPath().setYaml(GROUP + ".cpu", "[1, 0, 4, 8]")))
                .isEqualTo(new ConfigProblem(GROUP + ".cpu[1]", "must be positive, got 0"));
        assertThat(onlyProblem(hostPath().setYaml(GROUP + ".cpu", "[1, 2, x, 8]")))
                .isEqualTo(new ConfigProblem(GROUP + ".cpu[2]", "expected an integer, got 'x'"));
    }

    @Test
    void productIdsMustBeUniqueInACategory() {
        ConfigProblem problem = onlyProblem(hostPath().setYaml(GROUP + ".cpu", "[1, 2, 2, 8]"));
        assertThat(problem.path()).isEqualTo(GROUP);
        assertThat(problem.message()).startsWith("defines product 'u1-standard-2' again");
    }

    @Test
    void pricesFollowThePaymentType() {
        assertThat(onlyProblem(hostPath().setYaml(GROUP + ".price", "[1, 2, 3, 4]")))
                .isEqualTo(new ConfigProblem(GROUP + ".price", "must not be given when payment.type is Resource"));
        List<ConfigProblem> money = problems(hostPath()
                .setYaml("services.compute.machines.u1-standard.payment", "{type: Money}"));
        assertThat(money).containsExactly(
                new ConfigProblem("services.compute.machines.u1-standard.groups.u1-standard.price",
                        "is required when payment.type is Money"),
                new ConfigProblem("services.compute.machines.u1-standard.payment.currency", "is required when type is Money"));
    }

    @Test
    void aGpuSuffixNeedsGpus() {
        assertThat(onlyProblem(hostPath().setYaml(GROUP + ".nameSuffix", "Gpu")))
                .isEqualTo(new ConfigProblem(GROUP + ".nameSuffix", "is Gpu, but the group lists no gpu"));
        assertThat(onlyProblem(hostPath().setYaml(GROUP + ".nameSuffix", "Cores")).message())
                .isEqualTo("expected one of [Cpu, Memory, Gpu, CpuV2, MemoryV2, GpuV2], got 'Cores'");
    }

    @Test
    void sshNeedsAnAddressAndAPortRangeWhenEnabled() {
        assertThat(onlyProblem(hostPath().remove(SSH + ".ipAddress")))
                .isEqualTo(new ConfigProblem(SSH + ".ipAddress", "is required when ssh.enabled is true"));
        assertThat(onlyProblem(hostPath().setYaml(SSH + ".ipAddress", "ssh.example.org")))
                .isEqualTo(new ConfigProblem(SSH + ".ipAddress", "must be an IPv4 or IPv6 address, got 'ssh.example.org'"));
        assertThat(problems(hostPath().remove(SSH + ".portMin").remove(SSH + ".portMax")))
                .containsExactly(new ConfigProblem(SSH + ".portMax", "is required when ssh.enabled is true"),
                        new ConfigProblem(SSH + ".portMin", "is required when ssh.enabled is true"));
    }

    @Test
    void sshPortsMustFormARange() {
        assertThat(onlyProblem(hostPath().setYaml(SSH + ".portMin", "2100")))
                .isEqualTo(new ConfigProblem(SSH + ".portMax", "must be greater than portMin (2100), got 2100"));
        assertThat(onlyProblem(hostPath().setYaml(SSH + ".portMin", "0")))
                .isEqualTo(new ConfigProblem(SSH + ".portMin", "must be a port between 1 and 65535, got 0"));
        assertThat(onlyProblem(hostPath().setYaml(SSH + ".portMax", "70000")))
                .isEqualTo(new ConfigProblem(SSH + ".portMax", "must be a port between 1 and 65535, got 70000"));
    }

    @Test
    void disabledSshNeedsNothingElse() {
        HostConfiguration configuration = load(hostPath().setYaml(SSH, "{enabled: false}"));
        assertThat(configuration.sshSettings().enabled()).isFalse();
        assertThat(load(hostPath().setYaml(SSH + ".ipAddress", "'2001:db8::10'")).sshSettings().ipAddress())
                .isEqualTo("2001:db8::10");
    }

    @Test
    void theServicesTypeMustBeKubernetes() {
        assertThat(onlyProblem(hostPath().setYaml("services.type", "Slurm"))).isEqualTo(new ConfigProblem("services.type",
                "must be 'Kubernetes' (the only services type this IM runs), got 'Slurm'"));
    }

    @Test
    void theNamespaceMustBeADnsLabel() {
        ConfigProblem problem = onlyProblem(hostPath().setYaml("services.compute.namespace", "UCloud_Apps"));
        assertThat(problem.path()).isEqualTo("services.compute.namespace");
        assertThat(problem.message()).startsWith("must be a DNS label").endsWith("got 'UCloud_Apps'");
    }

    @Test
    void fileSystemPathsMustBeAbsolute() {
        assertThat(problems(hostPath().setYaml("services.fileSystem.mountPoint", "mnt")
                .setYaml("services.fileSystem.trashStagingArea", "/mnt/../trash")))
                .containsExactly(
                        new ConfigProblem("services.fileSystem.mountPoint", "must be an absolute path, got 'mnt'"),
                        new ConfigProblem("services.fileSystem.trashStagingArea", "must not contain '..', got '/mnt/../trash'"));
    }

    @Test
    void aYamlSyntaxErrorIsOneProblemWithItsPosition() throws IOException {
        Path file = Files.writeString(temp.resolve("broken.yaml"), "provider:\n  id: k8s\n services: {\n");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> new ConfigurationLoader().load(file, plugins));
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo(YamlConfigReader.FILE_PATH);
            assertThat(p.message()).startsWith("YAML syntax error at line 3, column");
        });
    }

    @Test
    void everyProblemOfAFileIsReportedTogether() {
        List<ConfigProblem> problems = problems(csi()
                .remove("provider.id")                                              // missing key
                .setYaml("services.type", "Slurm")                                  // host rule
                .setYaml(SSH + ".portMin", "abc")                                   // wrong type
                .setYaml(SSH + ".ipAdress", "10.0.0.1")                             // unknown key
                .setYaml("services.compute.namespace", "Apps")                      // rule next to a broken sibling
                .setYaml(GROUP + ".memory", "[4]")                                  // parallel lists
                .setYaml(STORAGE + ".csi.subpathField", "volumeAttributes.nope")    // plugin's own rule
                .setYaml(STORAGE + ".csi.drivr", "x"));                             // plugin's unknown key

        assertThat(problems).extracting(ConfigProblem::path).containsExactly(
                "provider.id",
                GROUP + ".memory",
                "services.compute.namespace",
                SSH + ".ipAdress",
                SSH + ".portMin",
                STORAGE + ".csi.drivr",
                STORAGE + ".csi.subpathField",
                "services.type");
        assertThat(problems).hasSize(8);
    }
}
