package dk.sdu.cloud.im.spi.host;

import static java.util.Objects.requireNonNull;

/**
 * A product (machine type) of the provider, from {@code services.compute.machines}.
 *
 * <p>The components after {@code allowContainers} were added in SPI 0.1.x (an addition: the constructor with
 * the first eight components stays and fills them with the defaults of a group that does not set them).
 *
 * @param id                      the product's name, e.g. {@code u1-standard-4}
 * @param category                the product category, e.g. {@code u1-standard}
 * @param group                   the machine group in the config that defines it
 * @param cpu                     vCPUs
 * @param memoryGiB               memory in GiB
 * @param gpu                     GPUs
 * @param allowVirtualMachines    whether virtual machines may run on it (the group's flag)
 * @param allowContainers         whether containers may run on it (the group's flag)
 * @param cpuModel                the CPU's description shown to users, {@code ""} when not configured
 * @param gpuModel                the GPU's description shown to users, {@code ""} when not configured
 * @param memoryModel             the memory's description shown to users, {@code ""} when not configured
 * @param gpuType                 the Kubernetes extended resource a GPU is requested as, e.g.
 *                                {@code nvidia.com/gpu} or a MIG profile {@code nvidia.com/mig-1g.10gb}
 * @param fraction                the share of a machine the product is ({@code fraction} of its group); for a
 *                                product without GPUs, the share of its vCPUs it may use
 * @param reservedCpuMillisPerCore millicores per vCPU held back for the node's system (the category's
 *                                {@code systemReservedCpuMillisPerCore}, or its {@code systemReservedCpuMillis}
 *                                spread over the category's largest machine); lowers the CPU request only
 */
public record Product(
        String id,
        String category,
        String group,
        int cpu,
        int memoryGiB,
        int gpu,
        boolean allowVirtualMachines,
        boolean allowContainers,
        String cpuModel,
        String gpuModel,
        String memoryModel,
        String gpuType,
        Fraction fraction,
        int reservedCpuMillisPerCore
) {
    /** The GPU resource of a group that names none. */
    public static final String DEFAULT_GPU_TYPE = "nvidia.com/gpu";

    public Product {
        requireNonNull(id, "id is null");
        requireNonNull(category, "category is null");
        requireNonNull(group, "group is null");
        requireNonNull(cpuModel, "cpuModel is null");
        requireNonNull(gpuModel, "gpuModel is null");
        requireNonNull(memoryModel, "memoryModel is null");
        requireNonNull(gpuType, "gpuType is null");
        requireNonNull(fraction, "fraction is null");
        if (reservedCpuMillisPerCore < 0) {
            throw new IllegalArgumentException("reservedCpuMillisPerCore must not be negative, got " + reservedCpuMillisPerCore);
        }
    }

    /** A product with no descriptions, the default GPU type, a whole machine and no reserved CPU. */
    public Product(String id, String category, String group, int cpu, int memoryGiB, int gpu,
                   boolean allowVirtualMachines, boolean allowContainers) {
        this(id, category, group, cpu, memoryGiB, gpu, allowVirtualMachines, allowContainers,
                "", "", "", DEFAULT_GPU_TYPE, Fraction.WHOLE, 0);
    }

    /**
     * A share {@code numerator / denominator} of a machine, as UCloud writes it ({@code "1 / 7"}).
     *
     * @param numerator   zero or more
     * @param denominator more than zero
     */
    public record Fraction(int numerator, int denominator) {
        /** The whole machine, {@code 1 / 1}. */
        public static final Fraction WHOLE = new Fraction(1, 1);

        public Fraction {
            if (denominator <= 0) {
                throw new IllegalArgumentException("denominator must be greater than zero, got " + denominator);
            }
            if (numerator < 0) {
                throw new IllegalArgumentException("numerator must not be negative, got " + numerator);
            }
        }

        /** Whether this is written as anything but {@code 1 / 1} (what product names look at). */
        public boolean isWhole() {
            return numerator == 1 && denominator == 1;
        }

        /**
         * The share as a number. A zero numerator counts as the whole machine, as in UCloud's IM, which
         * normalises a fraction without a positive numerator to {@code 1 / 1} before using it.
         */
        public double multiplier() {
            return numerator == 0 ? 1.0 : (double) numerator / denominator;
        }

        @Override
        public String toString() {
            return numerator + " / " + denominator;
        }
    }
}
