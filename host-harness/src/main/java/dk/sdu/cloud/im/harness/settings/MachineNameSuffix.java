package dk.sdu.cloud.im.harness.settings;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code nameSuffix} of a machine group: how its products are named, as in UCloud's IM. The first three
 * name a product {@code <group>-<count>}; the {@code V2} ones {@code <category>-<count>-<unit>} (see
 * {@link ProductIds}).
 */
public enum MachineNameSuffix {
    @JsonProperty("Cpu") CPU(MachineResource.CPU, false),
    @JsonProperty("Memory") MEMORY(MachineResource.MEMORY, false),
    @JsonProperty("Gpu") GPU(MachineResource.GPU, false),
    @JsonProperty("CpuV2") CPU_V2(MachineResource.CPU, true),
    @JsonProperty("MemoryV2") MEMORY_V2(MachineResource.MEMORY, true),
    @JsonProperty("GpuV2") GPU_V2(MachineResource.GPU, true);

    private final MachineResource resource;
    private final boolean categoryNamed;

    MachineNameSuffix(MachineResource resource, boolean categoryNamed) {
        this.resource = resource;
        this.categoryNamed = categoryNamed;
    }

    /** The resource whose count is in the name. */
    public MachineResource resource() {
        return resource;
    }

    /** Whether names start with the category's name (the {@code V2} forms) rather than the group's. */
    public boolean categoryNamed() {
        return categoryNamed;
    }
}
