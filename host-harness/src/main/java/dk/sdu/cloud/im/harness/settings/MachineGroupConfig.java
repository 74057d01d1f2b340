package dk.sdu.cloud.im.harness.settings;

import dk.sdu.cloud.im.spi.config.ConfigDefault;
import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.config.ValidatedConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * {@code services.compute.machines.<category>.groups.<group>}: one product per index of the parallel lists
 * {@code cpu}, {@code memory} and, when given, {@code gpu} and {@code price}. Unlike UCloud/IM, the
 * allow-flags belong to the group, so groups of one category may differ and the result is deterministic.
 *
 * @param allowVirtualMachines whether virtual machines may run on these products
 * @param allowContainers      whether containers may run on these products
 * @param cpu                  vCPUs per product (positive)
 * @param memory               memory in GiB per product (positive)
 * @param gpu                  GPUs per product (zero or more); absent means none
 * @param price                price per product (positive), only when the category is paid in money
 * @param nameSuffix           what product ids are named after: {@code Cpu}, {@code Memory} or {@code Gpu};
 *                             absent means {@code Gpu} when {@code gpu} is given, else {@code Cpu} (as UCloud/IM)
 */
public record MachineGroupConfig(
        @ConfigDefault("false") boolean allowVirtualMachines,
        @ConfigDefault("true") boolean allowContainers,
        List<Integer> cpu,
        List<Integer> memory,
        List<Integer> gpu,
        List<Double> price,
        Optional<MachineResource> nameSuffix
) implements ValidatedConfig {

    /** How many products the group defines. */
    public int size() {
        return cpu.size();
    }

    /** What product ids are named after. */
    public MachineResource effectiveNameSuffix() {
        return nameSuffix.orElse(gpu.isEmpty() ? MachineResource.CPU : MachineResource.GPU);
    }

    /** GPUs of the product at {@code index}. */
    public int gpuAt(int index) {
        return gpu.isEmpty() ? 0 : gpu.get(index);
    }

    /**
     * Whether the group defines products at all: lists of equal, non-zero length, and GPUs when products
     * are named after them.
     */
    public boolean definesProducts() {
        return !cpu.isEmpty() && memory.size() == cpu.size()
                && (gpu.isEmpty() || gpu.size() == cpu.size())
                && (price.isEmpty() || price.size() == cpu.size())
                && (effectiveNameSuffix() != MachineResource.GPU || !gpu.isEmpty());
    }

    @Override
    public List<ConfigProblem> validate() {
        List<ConfigProblem> problems = new ArrayList<>();
        if (cpu.isEmpty()) {
            problems.add(new ConfigProblem("cpu", "must list at least one machine (cpu and memory are parallel lists: "
                    + "one product per position)"));
        }
        checkSameLength("memory", memory.size(), problems);
        if (!gpu.isEmpty()) {
            checkSameLength("gpu", gpu.size(), problems);
        }
        if (!price.isEmpty()) {
            checkSameLength("price", price.size(), problems);
        }
        checkEach("cpu", cpu, v -> v > 0, "must be positive", problems);
        checkEach("memory", memory, v -> v > 0, "must be positive", problems);
        checkEach("gpu", gpu, v -> v >= 0, "must not be negative", problems);
        checkEach("price", price, v -> v > 0, "must be positive", problems);
        if (effectiveNameSuffix() == MachineResource.GPU && gpu.isEmpty()) {
            problems.add(new ConfigProblem("nameSuffix", "is Gpu, but the group lists no gpu"));
        }
        return problems;
    }

    private void checkSameLength(String key, int length, List<ConfigProblem> problems) {
        if (length != cpu.size()) {
            problems.add(new ConfigProblem(key, "must have as many entries as cpu (" + cpu.size() + "), got " + length));
        }
    }

    private static <T> void checkEach(String key, List<T> values, Predicate<T> valid,
                                      String rule, List<ConfigProblem> problems) {
        for (int i = 0; i < values.size(); i++) {
            if (!valid.test(values.get(i))) {
                problems.add(new ConfigProblem(key + "[" + i + "]", rule + ", got " + values.get(i)));
            }
        }
    }
}
