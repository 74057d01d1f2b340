package dk.sdu.cloud.im.harness.settings;

import dk.sdu.cloud.im.spi.config.ConfigDefault;
import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.config.ValidatedConfig;
import dk.sdu.cloud.im.spi.host.Product;
import dk.sdu.cloud.im.spi.host.Product.Fraction;
import tools.jackson.databind.JsonNode;

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
 * @param nameSuffix           how product ids are formed ({@link MachineNameSuffix}); absent means {@code Gpu}
 *                             when {@code gpu} is given, else {@code Cpu} (as UCloud/IM)
 * @param cpuModel             the CPU's description shown with the products
 * @param gpuModel             the GPU's description shown with the products
 * @param memoryModel          the memory's description shown with the products
 * @param gpuType              the extended resource a GPU is requested as (default {@code nvidia.com/gpu})
 * @param fraction             the share of a machine each product is, {@code "n / d"} or
 *                             {@code {numerator, denominator}} (default {@code 1 / 1}); read with
 *                             {@link #effectiveFraction()}
 * @param customRuntime        the runtime class of containers on these products (UCloud's IM sets it on
 *                             container pods; VMs do not use it)
 */
public record MachineGroupConfig(
        @ConfigDefault("false") boolean allowVirtualMachines,
        @ConfigDefault("true") boolean allowContainers,
        List<Integer> cpu,
        List<Integer> memory,
        List<Integer> gpu,
        List<Double> price,
        Optional<MachineNameSuffix> nameSuffix,
        Optional<String> cpuModel,
        Optional<String> gpuModel,
        Optional<String> memoryModel,
        @ConfigDefault(Product.DEFAULT_GPU_TYPE) String gpuType,
        Optional<JsonNode> fraction,
        Optional<String> customRuntime
) implements ValidatedConfig {

    /** How many products the group defines. */
    public int size() {
        return cpu.size();
    }

    /** How product ids are formed. */
    public MachineNameSuffix effectiveNameSuffix() {
        return nameSuffix.orElse(gpu.isEmpty() ? MachineNameSuffix.CPU : MachineNameSuffix.GPU);
    }

    /** The group's fraction; {@code 1 / 1} when absent (or not valid, which {@link #validate()} reports). */
    public Fraction effectiveFraction() {
        if (fraction == null || fraction.isEmpty()) {
            return Fraction.WHOLE;
        }
        try {
            return FractionValues.parse(fraction.get());
        } catch (IllegalArgumentException e) {
            return Fraction.WHOLE;
        }
    }

    private boolean fractionValid() {
        try {
            fraction.ifPresent(FractionValues::parse);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** GPUs of the product at {@code index}. */
    public int gpuAt(int index) {
        return gpu.isEmpty() ? 0 : gpu.get(index);
    }

    /**
     * The vCPUs the product at {@code index} may use: its {@code cpu} times the fraction, unless it has GPUs
     * (then the fraction is the GPU's share), as UCloud's IM counts them.
     */
    public double virtualCoresAt(int index) {
        double cores = cpu.get(index);
        return gpuAt(index) == 0 ? cores * effectiveFraction().multiplier() : cores;
    }

    /**
     * Whether the group defines products at all: lists of equal, non-zero length, GPUs when products are
     * named after them, and a valid fraction (it is part of some names).
     */
    public boolean definesProducts() {
        return fractionValid() && !cpu.isEmpty() && memory.size() == cpu.size()
                && (gpu.isEmpty() || gpu.size() == cpu.size())
                && (price.isEmpty() || price.size() == cpu.size())
                && (effectiveNameSuffix().resource() != MachineResource.GPU || !gpu.isEmpty());
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
        if (effectiveNameSuffix().resource() == MachineResource.GPU && gpu.isEmpty()) {
            problems.add(new ConfigProblem("nameSuffix", "is " + nameSuffix.map(ValueNames::of).orElse("Gpu")
                    + ", but the group lists no gpu"));
        }
        if (gpuType != null && gpuType.isBlank()) {
            problems.add(new ConfigProblem("gpuType", "must not be empty when given (default " + Product.DEFAULT_GPU_TYPE + ")"));
        }
        if (fraction != null && fraction.isPresent()) {
            try {
                FractionValues.parse(fraction.get());
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem("fraction", e.getMessage()));
            }
        }
        for (String key : List.of("cpuModel", "gpuModel", "memoryModel", "customRuntime")) {
            Optional<String> value = switch (key) {
                case "cpuModel" -> cpuModel;
                case "gpuModel" -> gpuModel;
                case "memoryModel" -> memoryModel;
                default -> customRuntime;
            };
            if (value != null && value.filter(String::isBlank).isPresent()) {
                problems.add(new ConfigProblem(key, "must not be empty when given"));
            }
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
