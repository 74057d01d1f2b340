/**
 * Public IPs: the pool of addresses the IM keeps in its data directory, and Core's provider API for public IP
 * resources ({@code /ucloud/<providerId>/networkips}). Backends see the allocated IPs through
 * {@link dk.sdu.cloud.im.harness.network.PublicIpLookup}.
 */
package dk.sdu.cloud.im.harness.publicip;
