/**
 * The contract between the IM host and its plugins.
 *
 * <p>Packages: {@code job} holds the job model that UCloud/Core sends to a provider; {@code compute} the
 * {@link dk.sdu.cloud.im.spi.compute.ComputeBackend} extension point; {@code storage} the
 * {@link dk.sdu.cloud.im.spi.storage.VmDiskStorage} extension point; {@code host} and {@code kubernetes} the
 * services that the host injects into plugin extensions; {@code config} how a plugin declares and validates
 * its own section of the IM's YAML configuration.
 *
 * <p>Plugins declare this module and the other platform libraries (PF4J, fabric8, Jackson, Guice,
 * SLF4J) {@code provided}: the host loads them once and every plugin shares them.
 */
package dk.sdu.cloud.im.spi;
