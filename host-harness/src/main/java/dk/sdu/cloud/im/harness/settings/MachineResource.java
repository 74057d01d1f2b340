package dk.sdu.cloud.im.harness.settings;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A resource of a machine: what a product is named after, and what a category may be paid in. */
public enum MachineResource {
    @JsonProperty("Cpu") CPU,
    @JsonProperty("Memory") MEMORY,
    @JsonProperty("Gpu") GPU
}
