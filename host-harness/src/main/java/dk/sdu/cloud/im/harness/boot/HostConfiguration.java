package dk.sdu.cloud.im.harness.boot;

import dk.sdu.cloud.im.harness.plugins.ExtensionInfo;
import dk.sdu.cloud.im.harness.settings.ComputeConfig;
import dk.sdu.cloud.im.harness.settings.ConfiguredMachineCatalog;
import dk.sdu.cloud.im.harness.settings.HarnessConfig;
import dk.sdu.cloud.im.harness.settings.HostConfig;
import dk.sdu.cloud.im.harness.settings.KeyWithoutEffect;
import dk.sdu.cloud.im.harness.settings.SshConfig;
import dk.sdu.cloud.im.harness.settings.VirtualMachinesConfig;
import dk.sdu.cloud.im.spi.host.MachineCatalog;
import dk.sdu.cloud.im.spi.host.ProviderSettings;
import dk.sdu.cloud.im.spi.host.SshSettings;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * A configuration without problems, with what it selects.
 *
 * @param file            the file it came from
 * @param host            the host's own keys
 * @param storage         the storage extension named by {@code storage.type}, when one is named
 * @param computeBackends the compute backend extensions (all installed ones are used)
 * @param sections        the bound configuration sections of those extensions, by record class
 * @param withoutEffect   UCloud/IM's keys the file sets that have no effect in this IM
 */
public record HostConfiguration(
        Path file,
        HostConfig host,
        Optional<ExtensionInfo> storage,
        List<ExtensionInfo> computeBackends,
        Map<Class<?>, Object> sections,
        List<KeyWithoutEffect> withoutEffect
) {
    public HostConfiguration {
        requireNonNull(file, "file is null");
        requireNonNull(host, "host is null");
        requireNonNull(storage, "storage is null");
        computeBackends = List.copyOf(computeBackends);
        sections = Collections.unmodifiableMap(new LinkedHashMap<>(sections));
        withoutEffect = List.copyOf(withoutEffect);
    }

    /** A configuration that sets no key without effect. */
    public HostConfiguration(Path file, HostConfig host, Optional<ExtensionInfo> storage,
                             List<ExtensionInfo> computeBackends, Map<Class<?>, Object> sections) {
        this(file, host, storage, computeBackends, sections, List.of());
    }

    private ComputeConfig compute() {
        return host.services().compute();
    }

    /** {@code services.compute.virtualMachines.enabled}. */
    public boolean virtualMachinesEnabled() {
        return compute().virtualMachines().map(VirtualMachinesConfig::enabled).orElse(false);
    }

    /** The jobs' namespace: {@code services.namespace}, else {@code services.compute.namespace}, else the default. */
    public String namespace() {
        return host.services().effectiveNamespace();
    }

    /** Provider id and sensitive projects. */
    public ProviderSettings providerSettings() {
        return new ProviderSettings(host.provider().id(), Set.copyOf(host.services().sensitiveProjects()));
    }

    /** SSH settings ({@link SshSettings#disabled()} when absent or disabled). */
    public SshSettings sshSettings() {
        return compute().ssh().map(SshConfig::toSettings).orElse(SshSettings.disabled());
    }

    /** The products. */
    public MachineCatalog machineCatalog() {
        return new ConfiguredMachineCatalog(compute().machines());
    }

    /** {@code services.fileSystem.mountPoint}. */
    public Path mountPoint() {
        return Path.of(host.services().fileSystem().mountPoint());
    }

    /** {@code services.fileSystem.trashStagingArea}. */
    public Path trashStagingArea() {
        return Path.of(host.services().fileSystem().trashStagingArea());
    }

    /** {@code harness}: how {@code ucloud-im serve} runs. */
    public HarnessConfig harness() {
        return host.harness();
    }

    /** The folder of the configuration file, which relative paths in it are relative to. */
    public Path folder() {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? file.toAbsolutePath().getRoot() : parent;
    }

    /** A path of the configuration file: relative ones are taken relative to the file's folder. */
    public Path resolve(String path) {
        return folder().resolve(path).normalize();
    }

    /** {@code harness.dataDirectory}, resolved against the file's folder. */
    public Path dataDirectory() {
        return resolve(harness().dataDirectory());
    }

    /** A bound section. */
    public <T> Optional<T> section(Class<T> type) {
        return Optional.ofNullable(sections.get(type)).map(type::cast);
    }
}
