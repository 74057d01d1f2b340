/**
 * The host's Guice wiring: {@link dk.sdu.cloud.im.harness.inject.HostModule} binds the host services,
 * {@link dk.sdu.cloud.im.harness.inject.ExtensionModule} binds plugins' configuration sections, the selected
 * {@code VmDiskStorage} and the compute backend classes. No plugin class is named here; they arrive as
 * {@code Class} objects found by the plugin loader.
 */
package dk.sdu.cloud.im.harness.inject;
