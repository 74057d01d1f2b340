package dk.sdu.cloud.im.testkit;

import dk.sdu.cloud.im.harness.config.ConfigBinding;
import dk.sdu.cloud.im.harness.config.ConfigException;
import dk.sdu.cloud.im.harness.config.ConfigTree;
import dk.sdu.cloud.im.harness.config.YamlConfigReader;
import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.config.ConfigSection;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Binds a plugin's {@code @ConfigSection} record from the YAML of its section, with the host's binder and
 * rules: unknown keys (with a suggestion), missing and mistyped values, defaults, and the record's own
 * {@code validate()}. Problems carry the full key path, as the host reports them
 * ({@code services.compute.virtualMachines.storage.nfs.path}).
 */
public final class ConfigSections {
    /** The section of storage plugins, whose {@code type} key belongs to the host. */
    static final String STORAGE_PATH = "services.compute.virtualMachines.storage";
    private static final Path SOURCE = Path.of("(section YAML)");

    private ConfigSections() {
    }

    /**
     * The record bound from {@code yaml}, the section's keys (for a storage section, what is below
     * {@code storage:}; a {@code type} key there is ignored, the host owns it).
     *
     * @throws AssertionError listing every problem, when there is any
     */
    public static <T> T bind(Class<T> section, String yaml) {
        Result<T> result = bindOrProblems(section, yaml);
        if (!result.problems().isEmpty()) {
            throw new AssertionError("the " + section.getSimpleName() + " section has problems:" + System.lineSeparator()
                    + result.problems().stream().map(p -> "  " + p).collect(Collectors.joining(System.lineSeparator())));
        }
        return result.value().orElseThrow();
    }

    /** The problems the host would report for this section's YAML; empty when it binds. */
    public static List<ConfigProblem> problems(Class<?> section, String yaml) {
        return bindOrProblems(section, yaml).problems();
    }

    private record Result<T>(Optional<T> value, List<ConfigProblem> problems) {
    }

    private static <T> Result<T> bindOrProblems(Class<T> section, String yaml) {
        requireNonNull(section, "section is null");
        requireNonNull(yaml, "yaml is null");
        ConfigSection annotation = section.getAnnotation(ConfigSection.class);
        if (annotation == null) {
            throw new IllegalArgumentException(section.getName() + " has no @ConfigSection: the host would not bind it");
        }
        String path = annotation.value();
        JsonNode keys;
        try {
            keys = yaml.isBlank() ? JsonNodeFactory.instance.objectNode()
                    : new YamlConfigReader().parse(SOURCE, yaml).root();
        } catch (ConfigException e) {
            return new Result<>(Optional.empty(), e.problems());
        }
        if (path.equals(STORAGE_PATH) && keys instanceof ObjectNode object) {
            object.remove("type");
        }
        ConfigBinding binding = new ConfigBinding(new ConfigTree(SOURCE, nest(path, keys)));
        Optional<T> value = binding.bind(path, section);
        List<ConfigProblem> problems = binding.finish();
        return new Result<>(problems.isEmpty() ? value : Optional.empty(), problems);
    }

    /** A configuration holding {@code keys} at {@code path}. */
    private static ObjectNode nest(String path, JsonNode keys) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode parent = root;
        String[] parts = path.split("\\.");
        for (int i = 0; i < parts.length - 1; i++) {
            parent = parent.putObject(parts[i]);
        }
        parent.set(parts[parts.length - 1], keys);
        return root;
    }
}
