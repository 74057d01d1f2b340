package dk.sdu.cloud.im.harness.network;

import dk.sdu.cloud.im.spi.network.PublicIp;

import java.util.Optional;

/** Where the host finds the public IPs it allocated (the pool's store, {@code harness.publicip}). */
@FunctionalInterface
public interface PublicIpLookup {

    /** The public IP with this id, if the provider gave it an address. */
    Optional<PublicIp> find(String id);
}
