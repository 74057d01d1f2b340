/**
 * The plugin test kit: checks a plugin in its own unit tests, without an IM.
 * {@link dk.sdu.cloud.im.testkit.ConfigSections} binds a {@code @ConfigSection} record from YAML exactly as
 * the host binds it (the host's binder), {@link dk.sdu.cloud.im.testkit.VolumeRequests} builds requests, and
 * {@link dk.sdu.cloud.im.testkit.StaticVolumeContract} checks a described PersistentVolume against what
 * the KubeVirt backend relies on. Failures are {@link java.lang.AssertionError}s, so any test framework
 * reports them.
 */
package dk.sdu.cloud.im.testkit;
