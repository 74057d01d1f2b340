package dk.sdu.cloud.im.harness.api;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * How the provider API is served.
 *
 * @param bindHost        the address to listen on, e.g. {@code 127.0.0.1}
 * @param port            the port, or 0 for any free port (tests)
 * @param maxBodyBytes    the largest request body accepted; larger ones get 413
 * @param shutdownTimeout how long {@code close()} waits for requests in flight
 * @param publicUrl       the API's base URL as users' browsers reach it ({@code provider.hosts.selfPublic}), for the
 *                        addresses it hands out (a VNC session's); absent: {@code http://<bindHost>:<port>}
 */
public record ApiSettings(String bindHost, int port, long maxBodyBytes,
                          Duration shutdownTimeout, Optional<URI> publicUrl) {
    /** 1 MiB: far more than a bulk of jobs from Core needs, small enough to keep memory in check. */
    public static final long DEFAULT_MAX_BODY_BYTES = 1024L * 1024L;
    /** How long a shutdown waits for requests in flight by default. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

    public ApiSettings {
        requireNonNull(bindHost, "bindHost is null");
        requireNonNull(shutdownTimeout, "shutdownTimeout is null");
        requireNonNull(publicUrl, "publicUrl is null");
        if (bindHost.isBlank()) {
            throw new IllegalArgumentException("bindHost is empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535, got " + port);
        }
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive, got " + maxBodyBytes);
        }
        if (shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("shutdownTimeout is negative");
        }
    }

    /** Settings without a public URL of their own. */
    public ApiSettings(String bindHost, int port, long maxBodyBytes, Duration shutdownTimeout) {
        this(bindHost, port, maxBodyBytes, shutdownTimeout, Optional.empty());
    }

    /** These settings with the API's base URL as browsers reach it. */
    public ApiSettings withPublicUrl(URI url) {
        return new ApiSettings(bindHost, port, maxBodyBytes, shutdownTimeout,
                Optional.of(requireNonNull(url, "url is null")));
    }

    /** Settings with the default body limit and shutdown timeout. */
    public static ApiSettings of(String bindHost, int port) {
        return new ApiSettings(bindHost, port, DEFAULT_MAX_BODY_BYTES, DEFAULT_SHUTDOWN_TIMEOUT);
    }
}
