package dk.sdu.cloud.im.harness.serve;

import java.net.URI;

/** The URL a client on the same machine uses to reach a server bound to an address. */
public final class ServerUrls {
    private ServerUrls() {
    }

    /**
     * {@code http://<host>:<port>}, where a wildcard bind address ({@code 0.0.0.0}, {@code ::}) becomes the
     * loopback address of its family and an IPv6 literal is bracketed.
     */
    public static URI connectable(String bindHost, int port) {
        String host = switch (bindHost) {
            case "0.0.0.0" -> "127.0.0.1";
            case "::", "[::]", "0:0:0:0:0:0:0:0" -> "::1";
            default -> bindHost;
        };
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + port);
    }
}
