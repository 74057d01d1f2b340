package dk.sdu.cloud.im.harness.settings;

import dk.sdu.cloud.im.spi.host.Product;
import dk.sdu.cloud.im.spi.job.ProductReference;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ConfiguredMachineCatalogTest {
    private static final PaymentConfig RESOURCE =
            new PaymentConfig(PaymentType.RESOURCE, Optional.of(MachineResource.CPU), Optional.empty(), Optional.empty());

    private static MachineGroupConfig group(boolean vms, List<Integer> cpu, List<Integer> memory, List<Integer> gpu,
                                            Optional<MachineNameSuffix> suffix) {
        return new MachineGroupConfig(vms, true, cpu, memory, gpu, List.of(), suffix, Optional.empty(),
                Optional.empty(), Optional.empty(), Product.DEFAULT_GPU_TYPE, Optional.empty(), Optional.empty());
    }

    private static Product product(String id, String category, String group, int cpu, int memory, int gpu,
                                   boolean vms, int reservedPerCore) {
        return new Product(id, category, group, cpu, memory, gpu, vms, true, "", "", "", Product.DEFAULT_GPU_TYPE,
                Product.Fraction.WHOLE, reservedPerCore);
    }

    @Test
    void productsAreNamedAfterTheGroupAndItsSuffixResource() {
        Map<String, MachineGroupConfig> groups = new LinkedHashMap<>();
        groups.put("u1-standard", group(true, List.of(1, 4), List.of(4, 16), List.of(), Optional.empty()));
        groups.put("u1-memory", group(false, List.of(2), List.of(64), List.of(), Optional.of(MachineNameSuffix.MEMORY)));
        groups.put("u1-gpu", group(true, List.of(8, 16), List.of(32, 64), List.of(1, 2), Optional.empty()));
        ConfiguredMachineCatalog catalog = new ConfiguredMachineCatalog(Map.of("u1", new MachineCategoryConfig(RESOURCE, groups)));

        assertThat(catalog.products()).containsExactly(
                // the default reservation, 500 millicores, spread over the largest machine's 16 vCPUs: 32 each
                product("u1-standard-1", "u1", "u1-standard", 1, 4, 0, true, 32),
                product("u1-standard-4", "u1", "u1-standard", 4, 16, 0, true, 32),
                product("u1-memory-64", "u1", "u1-memory", 2, 64, 0, false, 32),
                product("u1-gpu-1", "u1", "u1-gpu", 8, 32, 1, true, 32),
                product("u1-gpu-2", "u1", "u1-gpu", 16, 64, 2, true, 32));
        assertThat(catalog.find(new ProductReference("u1-gpu-2", "u1", "k8s"))).map(Product::gpu).contains(2);
        assertThat(catalog.find(new ProductReference("u1-gpu-2", "other", "k8s"))).isEmpty();
    }

    @Test
    void theAllowFlagsBelongToEachGroup() {
        Map<String, MachineGroupConfig> groups = new LinkedHashMap<>();
        groups.put("a", group(true, List.of(1), List.of(1), List.of(), Optional.empty()));
        groups.put("b", group(false, List.of(1), List.of(1), List.of(), Optional.empty()));
        ConfiguredMachineCatalog catalog = new ConfiguredMachineCatalog(Map.of("mixed", new MachineCategoryConfig(RESOURCE, groups)));

        assertThat(catalog.products()).extracting(Product::id, Product::allowVirtualMachines)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a-1", true), org.assertj.core.groups.Tuple.tuple("b-1", false));
    }

    @Test
    void theGpuSuffixIsTheDefaultWhenGpusAreListed() {
        assertThat(group(true, List.of(1), List.of(1), List.of(3), Optional.empty()).effectiveNameSuffix())
                .isEqualTo(MachineNameSuffix.GPU);
        assertThat(group(true, List.of(1), List.of(1), List.of(), Optional.empty()).effectiveNameSuffix())
                .isEqualTo(MachineNameSuffix.CPU);
        assertThat(group(true, List.of(1), List.of(1), List.of(3), Optional.of(MachineNameSuffix.CPU)).effectiveNameSuffix())
                .isEqualTo(MachineNameSuffix.CPU);
    }
}
