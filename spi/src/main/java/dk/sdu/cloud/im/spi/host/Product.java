package dk.sdu.cloud.im.spi.host;

import static java.util.Objects.requireNonNull;

/**
 * A product (machine type) of the provider, from {@code services.compute.machines}.
 *
 * @param id                   the product's name, e.g. {@code u1-standard-4}
 * @param category             the product category, e.g. {@code u1-standard}
 * @param group                the machine group in the config that defines it
 * @param cpu                  vCPUs
 * @param memoryGiB            memory in GiB
 * @param gpu                  GPUs
 * @param allowVirtualMachines whether virtual machines may run on it (the group's flag)
 * @param allowContainers      whether containers may run on it (the group's flag)
 */
public record Product(
        String id,
        String category,
        String group,
        int cpu,
        int memoryGiB,
        int gpu,
        boolean allowVirtualMachines,
        boolean allowContainers
) {
    public Product {
        requireNonNull(id, "id is null");
        requireNonNull(category, "category is null");
        requireNonNull(group, "group is null");
    }
}
