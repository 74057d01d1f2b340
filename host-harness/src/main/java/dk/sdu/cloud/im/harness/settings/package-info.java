/**
 * The keys the host itself owns, as records bound by the generic binder, and what the host derives from
 * them (the {@link dk.sdu.cloud.im.spi.host.MachineCatalog}, SSH and provider settings). The root is
 * {@link dk.sdu.cloud.im.harness.settings.HostConfig}; plugins' sections are not here.
 */
package dk.sdu.cloud.im.harness.settings;
