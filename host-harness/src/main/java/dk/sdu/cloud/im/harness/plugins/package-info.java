/**
 * Loading plugin jars with PF4J, refusing to start when any of them is broken, and describing what they
 * offer. {@link dk.sdu.cloud.im.harness.plugins.PluginLoader} is the entry point; the result is
 * {@link dk.sdu.cloud.im.harness.plugins.InstalledPlugins}. Extensions are created later, through the
 * host's injector, by {@link dk.sdu.cloud.im.harness.plugins.GuiceExtensionFactory}.
 */
package dk.sdu.cloud.im.harness.plugins;
