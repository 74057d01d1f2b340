package dk.sdu.cloud.im.kubevirt.disk;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Turns a URL's host into the addresses a connection to it may go to. Tests resolve without DNS. */
interface HostResolver {
    /**
     * @param host a host name or address literal as a URI gives it (IPv6 in brackets)
     * @return every address of the host, at least one
     * @throws UnknownHostException when it has none
     */
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /**
     * The JVM's resolver, the one the HTTP client uses too. Its positive cache (the security property
     * {@code networkaddress.cache.ttl}, 30 s by default) is what makes the client connect to the addresses
     * that were checked; see {@code docs/disk-preparation.md}.
     */
    static HostResolver system() {
        return host -> List.of(InetAddress.getAllByName(host));
    }
}
