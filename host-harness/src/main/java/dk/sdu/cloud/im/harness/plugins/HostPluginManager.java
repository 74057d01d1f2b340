package dk.sdu.cloud.im.harness.plugins;

import org.pf4j.DefaultPluginManager;
import org.pf4j.ExtensionFactory;
import org.pf4j.JarPluginLoader;
import org.pf4j.JarPluginRepository;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginLoader;
import org.pf4j.PluginRepository;
import org.pf4j.PluginState;
import org.pf4j.PluginStatusProvider;
import org.pf4j.PluginWrapper;
import org.pf4j.RuntimeMode;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * PF4J's plugin manager, narrowed to what the host supports: jar plugins in one directory, always in
 * deployment mode, every plugin found is enabled (remove a jar to remove a plugin; PF4J's
 * {@code enabled.txt}/{@code disabled.txt} are not read), platform classes from the host
 * ({@link PlatformFirstPluginClassLoader}), extensions through {@link GuiceExtensionFactory}. A jar that
 * cannot be loaded, or was built against an incompatible SPI ({@link SpiCompatibility}), is remembered with its
 * reason instead of only being logged.
 */
final class HostPluginManager extends DefaultPluginManager {
    private final String spiVersion;
    private final List<String> loadFailures = new ArrayList<>();
    private final Map<String, PluginJarContents> contents = new HashMap<>();

    /**
     * @param spiVersion the host's SPI version, which every plugin's {@code Plugin-Spi-Version} must be
     *                   compatible with ({@link SpiCompatibility})
     */
    HostPluginManager(Path pluginsDirectory, String systemVersion, String spiVersion) {
        super(pluginsDirectory);
        setSystemVersion(systemVersion);
        this.spiVersion = requireNonNull(spiVersion, "spiVersion is null");
    }

    /** Problems of jars that did not become plugins, one line each, naming the jar. */
    List<String> loadFailures() {
        return List.copyOf(loadFailures);
    }

    /** The host's SPI version. */
    String spiVersion() {
        return spiVersion;
    }

    /** What the jar of a loaded plugin holds besides its descriptor. */
    PluginJarContents contents(String pluginId) {
        return requireNonNull(contents.get(pluginId), () -> "no contents read for plugin " + pluginId);
    }

    GuiceExtensionFactory guiceExtensionFactory() {
        return (GuiceExtensionFactory) getExtensionFactory();
    }

    @Override
    public RuntimeMode getRuntimeMode() {
        return RuntimeMode.DEPLOYMENT;
    }

    /**
     * The jars in order of file name. PF4J's default is the order of modification time, which a copy or an unpack
     * can tie: then which of two jars with one id is refused would depend on the directory's listing order.
     */
    @Override
    protected PluginRepository createPluginRepository() {
        JarPluginRepository repository = new JarPluginRepository(getPluginsRoots());
        repository.setComparator(Comparator.comparing(File::getName));
        return repository;
    }

    @Override
    protected PluginLoader createPluginLoader() {
        return new JarPluginLoader(this) {
            @Override
            protected PluginClassLoader createPluginClassLoader(Path pluginPath, PluginDescriptor descriptor) {
                return new PlatformFirstPluginClassLoader(pluginManager, descriptor, HostPluginManager.class.getClassLoader());
            }
        };
    }

    @Override
    protected PluginStatusProvider createPluginStatusProvider() {
        return new PluginStatusProvider() {
            @Override
            public boolean isPluginDisabled(String pluginId) {
                return false;
            }

            @Override
            public void disablePlugin(String pluginId) {
                throw new UnsupportedOperationException("plugins are removed by removing their jar");
            }

            @Override
            public void enablePlugin(String pluginId) {
                // every plugin is enabled
            }
        };
    }

    @Override
    protected ExtensionFactory createExtensionFactory() {
        return new GuiceExtensionFactory();
    }

    /**
     * Stops the started plugins in reverse order of starting. PF4J 3.15's own version removes plugins from
     * the list it is iterating over and fails with a {@code ConcurrentModificationException} as soon as more
     * than one plugin is started.
     */
    @Override
    public void stopPlugins() {
        List<PluginWrapper> started = new ArrayList<>(getStartedPlugins());
        Collections.reverse(started);
        for (PluginWrapper plugin : started) {
            if (plugin.getPluginState() == PluginState.STARTED) {
                stopPlugin(plugin.getPluginId());
            }
        }
    }

    @Override
    protected PluginWrapper loadPluginFromPath(Path pluginPath) {
        try {
            PluginDescriptor descriptor = getPluginDescriptorFinder().find(pluginPath);
            PluginWrapper earlier = descriptor.getPluginId() == null ? null : getPlugin(descriptor.getPluginId());
            if (earlier != null) {
                loadFailures.add(pluginPath.getFileName() + ": plugin id '" + descriptor.getPluginId()
                        + "' is already used by " + earlier.getPluginPath().getFileName()
                        + "; two plugins cannot share an id (remove one of the jars)");
                return null;
            }
            PluginJarContents jar = PluginJarContents.read(pluginPath, HostPluginManager.class.getClassLoader());
            Optional<String> incompatible = jar.spiVersion().flatMap(v -> SpiCompatibility.problem(v, spiVersion));
            if (incompatible.isPresent() && descriptor.getPluginId() != null) {
                // Refused before PF4J creates its class loader or starts it: its classes may not fit this SPI.
                loadFailures.add("plugin '" + descriptor.getPluginId() + "' (" + pluginPath.getFileName()
                        + "): refused: " + incompatible.get());
                return null;
            }
            PluginWrapper plugin = super.loadPluginFromPath(pluginPath);
            if (plugin != null) {
                contents.put(plugin.getPluginId(), jar);
            }
            return plugin;
        } catch (IOException e) {
            loadFailures.add(pluginPath.getFileName() + ": cannot be read: " + Reasons.of(e));
            return null;
        } catch (RuntimeException | LinkageError e) {
            loadFailures.add(pluginPath.getFileName() + ": cannot be loaded as a plugin: " + Reasons.of(e)
                    + " (a plugin jar needs Plugin-Id and Plugin-Version in META-INF/MANIFEST.MF)");
            // Returning null lets PF4J carry on with the other jars; the failure is reported by PluginLoader.
            return null;
        }
    }
}
