/**
 * Simple, real implementations of the host services that stand in for UCloud/Core and persistent state:
 * job updates kept in memory and logged, SSH keys read from a directory, secrets in a file. Each sits
 * behind its SPI interface, so later versions (an embedded job store, Core's own key service) replace them
 * without plugins noticing.
 */
package dk.sdu.cloud.im.harness.services;
