/**
 * The provider's network resources (public IPs, public links, private networks): the provider API Core calls
 * for them, where the host keeps them, and how backends look them up
 * ({@link dk.sdu.cloud.im.spi.network.NetworkResources}).
 */
package dk.sdu.cloud.im.harness.network;
