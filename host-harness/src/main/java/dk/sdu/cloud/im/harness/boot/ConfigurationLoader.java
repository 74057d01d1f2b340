package dk.sdu.cloud.im.harness.boot;

import dk.sdu.cloud.im.harness.config.ConfigBinding;
import dk.sdu.cloud.im.harness.config.ConfigException;
import dk.sdu.cloud.im.harness.config.ConfigTree;
import dk.sdu.cloud.im.harness.config.KeyPaths;
import dk.sdu.cloud.im.harness.config.Suggestions;
import dk.sdu.cloud.im.harness.config.YamlConfigReader;
import dk.sdu.cloud.im.harness.plugins.ExtensionInfo;
import dk.sdu.cloud.im.harness.plugins.InstalledPlugins;
import dk.sdu.cloud.im.harness.settings.HostConfig;
import dk.sdu.cloud.im.harness.settings.KeysWithoutEffect;
import dk.sdu.cloud.im.harness.settings.UCloudCompatibilityKeys;
import dk.sdu.cloud.im.harness.settings.VirtualMachinesConfig;
import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.config.ConfigSection;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and binds a whole configuration file against the installed plugins, collecting every problem of
 * the file before failing:
 * <ol>
 *   <li>the host's own keys ({@link HostConfig}) and UCloud/IM's keys that the host accepts without effect
 *       ({@link UCloudCompatibilityKeys}, listed by {@link KeysWithoutEffect});</li>
 *   <li>{@code services.compute.virtualMachines.storage.type} picks the storage extension (an unknown type
 *       is a problem that lists the installed types);</li>
 *   <li>the {@code @ConfigSection} records of the extensions that will be created (the picked storage
 *       extension and every compute backend) are bound at their paths. A section does not see keys that
 *       are other bound sections' paths or keys the host reads, except {@code enabled} of
 *       {@code services.compute.virtualMachines}, which the host and the compute backend both read;</li>
 *   <li>every key that neither the host nor a bound section reads is an unknown key (below an unknown
 *       storage type's {@code storage}, keys are not checked: their owner is unknown).</li>
 * </ol>
 */
public final class ConfigurationLoader {
    /** Host keys that sections below them see too. */
    static final Set<String> SHARED_HOST_KEYS = Set.of("services.compute.virtualMachines.enabled");

    private static final String VIRTUAL_MACHINES = "services.compute.virtualMachines";
    private static final String STORAGE = VIRTUAL_MACHINES + ".storage";

    private final YamlConfigReader reader = new YamlConfigReader();

    /**
     * @throws ConfigException with every problem of the file
     */
    public HostConfiguration load(Path file, InstalledPlugins plugins) {
        return bind(reader.read(file), plugins);
    }

    /**
     * @throws ConfigException with every problem of the tree
     */
    public HostConfiguration bind(ConfigTree tree, InstalledPlugins plugins) {
        ConfigBinding binding = new ConfigBinding(tree);
        Optional<HostConfig> host = binding.bind("", HostConfig.class);
        bindUCloudCompatibilityKeys(binding);
        Set<String> hostValues = new HashSet<>(binding.coverage().copy().valuePaths());
        hostValues.removeAll(SHARED_HOST_KEYS);

        Optional<ExtensionInfo> storage = selectStorage(tree, plugins, binding);
        List<ExtensionInfo> created = new ArrayList<>();
        storage.ifPresent(created::add);
        created.addAll(plugins.computeBackends());

        Map<Class<?>, String> sectionPaths = new LinkedHashMap<>();
        for (ExtensionInfo extension : created) {
            for (Class<?> section : extension.configSections()) {
                sectionPaths.putIfAbsent(section, section.getAnnotation(ConfigSection.class).value());
            }
        }
        Map<Class<?>, Object> sections = new LinkedHashMap<>();
        sectionPaths.forEach((type, path) -> {
            binding.bind(path, type, hiddenFrom(path, sectionPaths.values(), hostValues))
                    .ifPresent(value -> sections.put(type, value));
        });

        List<ConfigProblem> problems = binding.finish();
        if (!problems.isEmpty()) {
            throw new ConfigException(tree.file(), problems);
        }
        return new HostConfiguration(tree.file(), host.orElseThrow(), storage, plugins.computeBackends(), sections,
                KeysWithoutEffect.in(tree.root()));
    }

    /** UCloud/IM's keys that this IM accepts beside its own (see {@link UCloudCompatibilityKeys}). */
    private static void bindUCloudCompatibilityKeys(ConfigBinding binding) {
        binding.bind(UCloudCompatibilityKeys.PROVIDER_PATH, UCloudCompatibilityKeys.Provider.class);
        binding.bind(UCloudCompatibilityKeys.SERVICES_PATH, UCloudCompatibilityKeys.Services.class);
        binding.bind(UCloudCompatibilityKeys.FILE_SYSTEM_PATH, UCloudCompatibilityKeys.FileSystem.class);
        binding.bind(UCloudCompatibilityKeys.COMPUTE_PATH, UCloudCompatibilityKeys.Compute.class);
    }

    /**
     * The storage extension named in the file. Read from the tree rather than from the bound host record,
     * so that the storage section is checked even when the host's keys have problems.
     */
    private static Optional<ExtensionInfo> selectStorage(ConfigTree tree, InstalledPlugins plugins, ConfigBinding binding) {
        JsonNode typeNode = tree.find(VirtualMachinesConfig.STORAGE_TYPE_PATH);
        if (typeNode == null || !typeNode.isString()) {
            return Optional.empty();
        }
        String type = typeNode.asString();
        Optional<ExtensionInfo> storage = plugins.storage(type);
        if (storage.isEmpty()) {
            List<String> installed = plugins.storageTypes();
            binding.problem(VirtualMachinesConfig.STORAGE_TYPE_PATH, "unknown storage type '" + type + "'"
                    + Suggestions.didYouMean(type, installed)
                    + (installed.isEmpty()
                    ? "; no storage plugin is installed in " + plugins.directory()
                    : "; installed storage types: " + String.join(", ", installed)));
            binding.coverage().leaveUnchecked(STORAGE);
        }
        return storage;
    }

    private static Set<String> hiddenFrom(String sectionPath, Iterable<String> sectionPaths, Set<String> hostValues) {
        Set<String> hidden = new HashSet<>();
        for (String other : sectionPaths) {
            if (KeyPaths.isBelow(other, sectionPath)) {
                hidden.add(other);
            }
        }
        for (String value : hostValues) {
            if (KeyPaths.isBelow(value, sectionPath)) {
                hidden.add(value);
            }
        }
        return hidden;
    }
}
