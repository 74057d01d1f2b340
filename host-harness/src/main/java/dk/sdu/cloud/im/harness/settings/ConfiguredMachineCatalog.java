package dk.sdu.cloud.im.harness.settings;

import dk.sdu.cloud.im.spi.host.MachineCatalog;
import dk.sdu.cloud.im.spi.host.Product;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/** The products of {@code services.compute.machines}, in configuration order. */
public final class ConfiguredMachineCatalog implements MachineCatalog {
    private final List<Product> products;

    /** @param machines the categories, in configuration order, without problems */
    public ConfiguredMachineCatalog(Map<String, MachineCategoryConfig> machines) {
        requireNonNull(machines, "machines is null");
        List<Product> all = new ArrayList<>();
        machines.forEach((category, config) -> {
            int reservedPerCore = config.reservedCpuMillisPerCore();
            config.groups().forEach((groupName, group) -> {
                for (int i = 0; i < group.size(); i++) {
                    all.add(new Product(ProductIds.productId(category, groupName, group, i), category, groupName,
                            group.cpu().get(i), group.memory().get(i), group.gpuAt(i),
                            group.allowVirtualMachines(), group.allowContainers(),
                            group.cpuModel().orElse(""), group.gpuModel().orElse(""), group.memoryModel().orElse(""),
                            group.gpuType(), group.effectiveFraction(), reservedPerCore));
                }
            });
        });
        this.products = List.copyOf(all);
    }

    @Override
    public List<Product> products() {
        return products;
    }
}
