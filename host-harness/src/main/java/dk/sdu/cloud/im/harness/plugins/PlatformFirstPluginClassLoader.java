package dk.sdu.cloud.im.harness.plugins;

import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;

/**
 * A plugin's class loader that takes platform classes ({@link PlatformPackages}) from the host even when the
 * plugin jar carries its own copies, and everything else from the plugin first (PF4J's default). Without it,
 * a plugin that bundles, say, the SPI would implement its own copy of {@code VmDiskStorage}, which the host
 * cannot see as an extension.
 */
final class PlatformFirstPluginClassLoader extends PluginClassLoader {

    static {
        registerAsParallelCapable();
    }

    private final String pluginId;

    PlatformFirstPluginClassLoader(PluginManager pluginManager, PluginDescriptor descriptor, ClassLoader host) {
        super(pluginManager, descriptor, host);
        this.pluginId = descriptor.getPluginId();
    }

    /** The id of the plugin whose classes this loader defines: every class of a plugin jar names its plugin. */
    String pluginId() {
        return pluginId;
    }

    @Override
    protected boolean shouldDelegateToParent(String className) {
        return super.shouldDelegateToParent(className) || PlatformPackages.isPlatformClass(className);
    }
}
