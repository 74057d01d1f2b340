package dk.sdu.cloud.im.harness.settings;

import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.config.ValidatedConfig;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code services.compute.machines.<category>}: a product category and its machine groups.
 *
 * @param payment                        how the category is paid for
 * @param systemReservedCpuMillis        millicores of a node held back for its system, spread over the vCPUs
 *                                       of the category's largest machine (default 500 when neither this nor
 *                                       the per-core key is given, as UCloud/IM)
 * @param systemReservedCpuMillisPerCore millicores held back per vCPU instead; not together with the above
 * @param groups                         the machine groups, by name; at least one
 */
public record MachineCategoryConfig(
        PaymentConfig payment,
        Optional<Integer> systemReservedCpuMillis,
        Optional<Integer> systemReservedCpuMillisPerCore,
        Map<String, MachineGroupConfig> groups
) implements ValidatedConfig {

    /** UCloud/IM's {@code systemReservedCpuMillis} when a category sets no reservation. */
    public static final int DEFAULT_SYSTEM_RESERVED_CPU_MILLIS = 500;

    /** A category without a reservation key (so with the default reservation). */
    public MachineCategoryConfig(PaymentConfig payment, Map<String, MachineGroupConfig> groups) {
        this(payment, Optional.empty(), Optional.empty(), groups);
    }

    /**
     * Millicores held back per vCPU, as UCloud/IM computes it: {@code systemReservedCpuMillisPerCore} when
     * given, else {@code ceil(systemReservedCpuMillis / v)} with {@code v} the most vCPUs a product of the
     * category may use ({@link MachineGroupConfig#virtualCoresAt}); 0 for a category without products.
     */
    public int reservedCpuMillisPerCore() {
        if (systemReservedCpuMillisPerCore.isPresent()) {
            return systemReservedCpuMillisPerCore.get();
        }
        double maxVirtualCores = 0;
        for (MachineGroupConfig group : groups.values()) {
            for (int i = 0; i < group.size(); i++) {
                maxVirtualCores = Math.max(maxVirtualCores, group.virtualCoresAt(i));
            }
        }
        if (maxVirtualCores <= 0) {
            return 0;
        }
        return (int) Math.ceil(systemReservedCpuMillis.orElse(DEFAULT_SYSTEM_RESERVED_CPU_MILLIS) / maxVirtualCores);
    }

    @Override
    public List<ConfigProblem> validate() {
        List<ConfigProblem> problems = new ArrayList<>();
        if (groups.isEmpty()) {
            problems.add(new ConfigProblem("groups", "must define at least one machine group"));
        }
        if (systemReservedCpuMillis.isPresent() && systemReservedCpuMillisPerCore.isPresent()) {
            problems.add(new ConfigProblem("systemReservedCpuMillisPerCore", "give either systemReservedCpuMillis or "
                    + "systemReservedCpuMillisPerCore, not both (they are mutually exclusive)"));
        }
        systemReservedCpuMillis.filter(v -> v < 0).ifPresent(v -> problems.add(
                new ConfigProblem("systemReservedCpuMillis", "must not be negative, got " + v)));
        systemReservedCpuMillisPerCore.filter(v -> v < 0 || v >= 1000).ifPresent(v -> problems.add(
                new ConfigProblem("systemReservedCpuMillisPerCore",
                        "must be between 0 and 999 millicores (a vCPU has 1000), got " + v)));
        groups.forEach((name, group) -> {
            String path = "groups." + name;
            if (payment != null && payment.type() == PaymentType.MONEY && group.price().isEmpty()) {
                problems.add(new ConfigProblem(path + ".price", "is required when payment.type is Money"));
            }
            if (payment != null && payment.type() == PaymentType.RESOURCE && !group.price().isEmpty()) {
                problems.add(new ConfigProblem(path + ".price", "must not be given when payment.type is Resource"));
            }
        });
        return problems;
    }

    /**
     * Problems of product ids that repeat in the category (ids are unique per category in UCloud; the
     * category's name is part of {@code V2} ids, so it is needed here), at {@code groups.<group>}.
     */
    List<ConfigProblem> duplicateProductIds(String categoryName) {
        List<ConfigProblem> problems = new ArrayList<>();
        Map<String, String> groupOfProduct = new HashMap<>();
        groups.forEach((name, group) -> {
            if (!group.definesProducts()) {
                return; // already a problem of the group; ids would be meaningless
            }
            for (int i = 0; i < group.size(); i++) {
                String id = ProductIds.productId(categoryName, name, group, i);
                String earlier = groupOfProduct.putIfAbsent(id, name);
                if (earlier != null) {
                    problems.add(new ConfigProblem("groups." + name, "defines product '" + id + "' again (already "
                            + "defined by group '" + earlier + "'); product ids are " + ProductIds.pattern(group)
                            + " and must be unique in a category"));
                }
            }
        });
        return problems;
    }
}
