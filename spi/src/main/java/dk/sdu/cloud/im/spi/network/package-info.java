/**
 * What a job reaches the network with, besides SSH: the provider's public IP addresses, public links
 * (domains routed to a port of the job) and private networks, as UCloud/Core created them at this provider.
 * The host keeps these resources (it answers Core's provider API for them); a compute backend looks them up
 * through {@link dk.sdu.cloud.im.spi.network.NetworkResources} when a job names them among its resources.
 */
package dk.sdu.cloud.im.spi.network;
