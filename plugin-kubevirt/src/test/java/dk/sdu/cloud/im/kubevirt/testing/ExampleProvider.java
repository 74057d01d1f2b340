package dk.sdu.cloud.im.kubevirt.testing;

import dk.sdu.cloud.im.kubevirt.KubeVirtConfig;
import dk.sdu.cloud.im.kubevirt.admission.VmJobAdmission;
import dk.sdu.cloud.im.kubevirt.manifest.VmJobObjectsFactory;
import dk.sdu.cloud.im.spi.host.MachineCatalog;
import dk.sdu.cloud.im.spi.host.Product;
import dk.sdu.cloud.im.spi.host.ProviderFileSystem;
import dk.sdu.cloud.im.spi.host.ProviderSettings;
import dk.sdu.cloud.im.spi.host.SshSettings;
import dk.sdu.cloud.im.spi.network.NetworkResources;
import dk.sdu.cloud.im.spi.storage.VmDiskStorage;
import dk.sdu.cloud.im.testdata.TestData;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The provider described by one of the example configurations the installation ships
 * ({@link TestData#CONFIG_HOSTPATH}, {@link TestData#CONFIG_CSI}), read from the file: its settings, products, storage and file system. Products
 * are named {@code <group>-<cpu>}, as the example job expects ({@code u1-standard-4}).
 */
public record ExampleProvider(
        KubeVirtConfig config,
        ProviderSettings settings,
        SshSettings ssh,
        MachineCatalog catalog,
        VmDiskStorage storage,
        ProviderFileSystem fileSystem,
        String namespace
) {
    public static final String HOSTPATH = TestData.CONFIG_HOSTPATH;
    public static final String CSI = TestData.CONFIG_CSI;

    public static ExampleProvider load(String exampleConfig) {
        JsonNode root = YAMLMapper.builder().build().readTree(TestData.read(exampleConfig));
        JsonNode services = root.path("services");
        JsonNode compute = services.path("compute");
        JsonNode vms = compute.path("virtualMachines");

        KubeVirtConfig config = new KubeVirtConfig(vms.path("enabled").asBoolean(), false, "vm-golden-images",
                "ws://ucloud-im:42000/api/vmagent", 300);
        Set<String> sensitive = new LinkedHashSet<>();
        services.path("sensitiveProjects").forEach(p -> sensitive.add(p.asString()));
        ProviderSettings settings = new ProviderSettings(root.path("provider").path("id").asString(), sensitive);
        JsonNode ssh = compute.path("ssh");
        SshSettings sshSettings = new SshSettings(ssh.path("enabled").asBoolean(), ssh.path("ipAddress").asString(),
                ssh.path("hostname").asString(), ssh.path("portMin").asInt(), ssh.path("portMax").asInt());

        List<Product> products = new ArrayList<>();
        compute.path("machines").properties().forEach(category ->
                category.getValue().path("groups").properties().forEach(group -> {
                    JsonNode g = group.getValue();
                    for (int i = 0; i < g.path("cpu").size(); i++) {
                        int cpu = g.path("cpu").get(i).asInt();
                        products.add(new Product(group.getKey() + "-" + cpu, category.getKey(), group.getKey(), cpu,
                                g.path("memory").get(i).asInt(), 0, g.path("allowVirtualMachines").asBoolean(),
                                true));
                    }
                }));
        MachineCatalog catalog = () -> List.copyOf(products);

        JsonNode storage = vms.path("storage");
        VmDiskStorage diskStorage = switch (storage.path("type").asString()) {
            case "HostPath" -> new HostPathLikeStorage(storage.path("hostPath").asString());
            case "CsiStaticPv" -> {
                JsonNode csi = storage.path("csi");
                Map<String, String> attributes = new LinkedHashMap<>();
                csi.path("volumeAttributes").properties().forEach(e -> attributes.put(e.getKey(),
                        e.getValue().asString()));
                yield new CsiLikeStorage(csi.path("storageClassName").asString(), csi.path("driver").asString(),
                        attributes, csi.path("subpathField").asString().replaceFirst("^volumeAttributes\\.", ""));
            }
            default -> throw new IllegalArgumentException("unknown storage type in " + exampleConfig);
        };
        ProviderFileSystem fileSystem = new TestFileSystem(
                Path.of(services.path("fileSystem").path("mountPoint").asString()));
        return new ExampleProvider(config, settings, sshSettings, catalog, diskStorage, fileSystem,
                compute.path("namespace").asString());
    }

    /** A copy with other backend settings. */
    public ExampleProvider withConfig(KubeVirtConfig other) {
        return new ExampleProvider(other, settings, ssh, catalog, storage, fileSystem, namespace);
    }

    /** A copy with other SSH settings. */
    public ExampleProvider withSsh(SshSettings other) {
        return new ExampleProvider(config, settings, other, catalog, storage, fileSystem, namespace);
    }

    public VmJobAdmission admission() {
        return admission(NetworkResources.none());
    }

    /** Admission that looks the jobs' network resources up in {@code networks}. */
    public VmJobAdmission admission(NetworkResources networks) {
        return new VmJobAdmission(config, catalog, settings, ssh, fileSystem, networks);
    }

    public VmJobObjectsFactory objectsFactory() {
        return new VmJobObjectsFactory(config, storage, namespace);
    }
}
