package dk.sdu.cloud.im.harness.settings;

import dk.sdu.cloud.im.spi.host.Product.Fraction;

/**
 * Product ids as UCloud/IM names them ({@code BuildMachineName} in {@code pkg/config/k8s.go}), by the group's
 * {@code nameSuffix}:
 * <ul>
 *   <li>{@code Cpu}, {@code Memory}, {@code Gpu}: the group's name, a dash and the product's count of that
 *       resource, e.g. group {@code u1-standard} with {@code cpu: [1, 2, 4]} gives {@code u1-standard-4};</li>
 *   <li>{@code CpuV2}: {@code <category>-<cpu>-vcpu}, or {@code <category>-<cpu>-mcpu.<m>} when the group's
 *       fraction is not {@code 1 / 1}, with {@code m} the whole millicores of {@code 1000 * n / d};</li>
 *   <li>{@code GpuV2}: {@code <category>-<gpu>-gpu}, or, when the fraction is not {@code 1 / 1},
 *       {@code <category>-<gpu>-mig.<n>g} for a {@code gpuType} under {@code nvidia.com/} and
 *       {@code <category>-<gpu>-frac.<n>g} for any other;</li>
 *   <li>{@code MemoryV2}: {@code <category>-<memory>-gb}.</li>
 * </ul>
 */
public final class ProductIds {
    private ProductIds() {
    }

    /** The id of the product at {@code index} of a group. */
    public static String productId(String categoryName, String groupName, MachineGroupConfig group, int index) {
        MachineNameSuffix suffix = group.effectiveNameSuffix();
        int count = switch (suffix.resource()) {
            case CPU -> group.cpu().get(index);
            case MEMORY -> group.memory().get(index);
            case GPU -> group.gpuAt(index);
        };
        Fraction fraction = group.effectiveFraction();
        return switch (suffix) {
            case CPU, MEMORY, GPU -> groupName + "-" + count;
            case CPU_V2 -> categoryName + "-" + count + "-"
                    + (fraction.isWhole() ? "vcpu" : "mcpu." + (int) (1000.0 * fraction.numerator() / fraction.denominator()));
            case GPU_V2 -> categoryName + "-" + count + "-" + (fraction.isWhole() ? "gpu"
                    : (group.gpuType().startsWith("nvidia.com/") ? "mig." : "frac.") + fraction.numerator() + "g");
            case MEMORY_V2 -> categoryName + "-" + count + "-gb";
        };
    }

    /** How ids of a group are formed, for messages, e.g. {@code <category>-<cpu>-vcpu}. */
    static String pattern(MachineGroupConfig group) {
        MachineNameSuffix suffix = group.effectiveNameSuffix();
        String resource = ValueNames.of(suffix.resource()).toLowerCase(java.util.Locale.ROOT);
        return switch (suffix) {
            case CPU, MEMORY, GPU -> "<group>-<" + resource + ">";
            case CPU_V2 -> "<category>-<cpu>-vcpu (or -mcpu.<millicores> with a fraction)";
            case GPU_V2 -> "<category>-<gpu>-gpu (or -mig.<n>g / -frac.<n>g with a fraction)";
            case MEMORY_V2 -> "<category>-<memory>-gb";
        };
    }
}
