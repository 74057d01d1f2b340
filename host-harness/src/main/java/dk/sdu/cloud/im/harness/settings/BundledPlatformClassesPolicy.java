package dk.sdu.cloud.im.harness.settings;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What the host does with a plugin jar that bundles platform classes ({@code harness.plugins.bundledPlatformClasses}). */
public enum BundledPlatformClassesPolicy {
    /** Loads it (the host's copies are used) and logs a warning naming the plugin and the packages. */
    @JsonProperty("warn") WARN,
    /** Refuses to start, naming the plugin and the packages. */
    @JsonProperty("refuse") REFUSE;

    /** The name used in the configuration file. */
    public String configName() {
        return switch (this) {
            case WARN -> "warn";
            case REFUSE -> "refuse";
        };
    }
}
