package dk.sdu.cloud.im.harness.web;

import dk.sdu.cloud.im.harness.api.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * The reverse proxy of public links in embedded mode: it listens on its own port and sends each request to where
 * {@link LinkRoutes} says its {@code Host} goes (a VM's address at the link's port), as a cluster's Ingress does.
 *
 * <p>It works on HTTP/1.1 at the byte level, so that every method, streamed and chunked bodies, and websocket
 * upgrades pass unchanged: it reads the request's head, rewrites its hop-by-hop fields, adds {@code X-Forwarded-For},
 * {@code -Host}, {@code -Proto} and {@code -Port}, then copies bytes both ways until one side closes. A plain request
 * is sent with {@code Connection: close} and its response is given {@code Connection: close}, so each connection
 * carries one request (a browser opens another; the route is then chosen again). An upgrade
 * ({@code Connection: upgrade}) keeps its fields, and after the target's {@code 101} the connection is the
 * websocket's, both ways. (Jetty's {@code ProxyHandler} is not among the platform libraries the host has.)
 *
 * <p>Errors are JSON ({@code {"why": ...}}): an unknown domain 404, a machine that does not run 503, a target that
 * refuses the connection 502, a malformed head 400, a head over {@value #MAX_HEAD_BYTES} bytes 431.
 */
public final class LinkProxy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LinkProxy.class);
    /** The largest request head accepted, as the provider API's. */
    static final int MAX_HEAD_BYTES = 8 * 1024;
    private static final Duration HEAD_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final List<String> HOP_BY_HOP = List.of("Connection", "Keep-Alive", "Proxy-Connection", "TE",
            "Trailer", "Proxy-Authenticate", "Proxy-Authorization", "Upgrade");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String bindHost;
    private final int port;
    private final LinkRoutes routes;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService workers = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "link-proxy-" + threads.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });
    private final Object lifecycle = new Object();
    private ServerSocket server;
    private boolean closed;

    /**
     * @param bindHost the address to listen on
     * @param port     the port; 0 for a free one
     * @param routes   where each host's requests go
     */
    public LinkProxy(String bindHost, int port, LinkRoutes routes) {
        this.bindHost = requireNonNull(bindHost, "bindHost is null");
        this.port = port;
        this.routes = requireNonNull(routes, "routes is null");
    }

    /**
     * Starts listening.
     *
     * @return the port it listens on
     * @throws IOException when it cannot listen
     */
    public int start() throws IOException {
        synchronized (lifecycle) {
            if (server != null || closed) {
                throw new IllegalStateException("the link proxy was already started");
            }
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            try {
                socket.bind(new InetSocketAddress(InetAddress.getByName(bindHost), port));
            } catch (IOException e) {
                socket.close();
                throw e;
            }
            server = socket;
            workers.execute(() -> accept(socket));
            LOG.info("Public links' proxy listening on {}:{}", bindHost, socket.getLocalPort());
            return socket.getLocalPort();
        }
    }

    /** The port it listens on. */
    public int port() {
        synchronized (lifecycle) {
            if (server == null) {
                throw new IllegalStateException("the link proxy is not started");
            }
            return server.getLocalPort();
        }
    }

    /** Stops listening and ends every connection. Idempotent. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            if (server != null) {
                closeQuietly(server);
            }
        }
        open.forEach(LinkProxy::closeQuietly);
        workers.shutdownNow();
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    LOG.warn("The public links' proxy stopped accepting connections", e);
                }
                return;
            }
            open.add(client);
            try {
                workers.execute(() -> serve(client));
            } catch (RuntimeException e) {
                // Closing: the pool takes no more work.
                forget(client);
            }
        }
    }

    private void serve(Socket client) {
        Socket upstream = null;
        try {
            client.setSoTimeout((int) HEAD_TIMEOUT.toMillis());
            InputStream fromClient = new BufferedInputStream(client.getInputStream());
            HttpHead request;
            try {
                request = HttpHead.read(fromClient, MAX_HEAD_BYTES);
            } catch (HttpHead.BadHeadException e) {
                answer(client, e.tooLarge() ? 431 : 400, e.getMessage());
                return;
            }
            String host = hostOf(request);
            if (host == null) {
                answer(client, 400, "the request names no Host: a public link is found by its domain");
                return;
            }
            LinkRoute route = routes.resolve(host);
            if (!route.found()) {
                answer(client, route.status(), route.why());
                return;
            }
            upstream = new Socket();
            open.add(upstream);
            try {
                upstream.connect(route.target(), (int) CONNECT_TIMEOUT.toMillis());
            } catch (IOException e) {
                answer(client, 502, "the job behind " + host + " does not accept connections at its port (" + e.getMessage()
                        + "); is its web server running?");
                return;
            }
            client.setSoTimeout(0);
            boolean upgrade = request.hasToken("Connection", "upgrade") && request.field("Upgrade").isPresent();
            OutputStream toUpstream = upstream.getOutputStream();
            toUpstream.write(forwarded(request, client, upgrade).bytes());
            toUpstream.flush();
            Socket target = upstream;
            workers.execute(() -> copyRequestBody(fromClient, target, client));
            relayResponse(new BufferedInputStream(upstream.getInputStream()), client.getOutputStream(), upgrade);
        } catch (EOFException e) {
            // A connection closed before it sent a request: nothing to answer.
        } catch (IOException e) {
            LOG.debug("Public link connection ended: {}", e.toString());
        } catch (RuntimeException e) {
            LOG.warn("Public link connection failed", e);
        } finally {
            forget(client);
            if (upstream != null) {
                forget(upstream);
            }
        }
    }

    /** The request as the target gets it: hop-by-hop fields replaced, the forwarding fields added. */
    private HttpHead forwarded(HttpHead request, Socket client, boolean upgrade) {
        List<String[]> added = new ArrayList<>();
        if (upgrade) {
            added.add(new String[]{"Connection", "Upgrade"});
            added.add(new String[]{"Upgrade", request.field("Upgrade").orElseThrow()});
        } else {
            added.add(new String[]{"Connection", "close"});
        }
        String clientAddress = client.getInetAddress().getHostAddress();
        String forwardedFor = request.field("X-Forwarded-For").map(earlier -> earlier + ", " + clientAddress)
                .orElse(clientAddress);
        added.add(new String[]{"X-Forwarded-For", forwardedFor});
        added.add(new String[]{"X-Forwarded-Host", request.field("Host").orElse("")});
        added.add(new String[]{"X-Forwarded-Proto", "http"});
        added.add(new String[]{"X-Forwarded-Port", String.valueOf(client.getLocalPort())});
        List<String> replaced = new ArrayList<>(HOP_BY_HOP);
        replaced.addAll(List.of("X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Port"));
        return request.without(replaced, added);
    }

    /** The target's response head (given {@code Connection: close} unless it switches protocols), then its bytes. */
    private static void relayResponse(InputStream fromUpstream, OutputStream toClient, boolean upgrade)
            throws IOException {
        HttpHead response;
        try {
            response = HttpHead.read(fromUpstream, 64 * 1024);
        } catch (HttpHead.BadHeadException | EOFException e) {
            throw new IOException("the target's answer is not HTTP: " + e.getMessage(), e);
        }
        if (!(upgrade && response.status() == 101)) {
            response = response.without(List.of("Connection", "Keep-Alive"),
                    List.<String[]>of(new String[]{"Connection", "close"}));
        }
        toClient.write(response.bytes());
        toClient.flush();
        fromUpstream.transferTo(new FlushingStream(toClient));
    }

    private void copyRequestBody(InputStream fromClient, Socket upstream, Socket client) {
        try {
            fromClient.transferTo(new FlushingStream(upstream.getOutputStream()));
            // The client is done sending: the target sees the end of the request (or of the websocket's stream).
            upstream.shutdownOutput();
        } catch (IOException e) {
            // One side closed; the response's side ends the connection.
            if (!(e instanceof SocketException)) {
                LOG.debug("Public link request body ended: {}", e.toString());
            }
        }
    }

    private static String hostOf(HttpHead request) {
        return request.field("Host").map(value -> {
            String host = value.trim().toLowerCase(Locale.ROOT);
            if (host.startsWith("[")) {
                int end = host.indexOf(']');
                return end > 0 ? host.substring(0, end + 1) : host;
            }
            int colon = host.indexOf(':');
            return colon >= 0 ? host.substring(0, colon) : host;
        }).filter(host -> !host.isEmpty()).orElse(null);
    }

    private static void answer(Socket client, int status, String why) throws IOException {
        byte[] body = JSON.writeValueAsBytes(ApiError.of(why));
        String head = "HTTP/1.1 " + status + " " + reason(status) + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        OutputStream out = client.getOutputStream();
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 431 -> "Request Header Fields Too Large";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> "Error";
        };
    }

    private void forget(Socket socket) {
        open.remove(socket);
        closeQuietly(socket);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // Closing anyway.
        }
    }

    /** Passes each chunk on at once: a streamed response (server-sent events, a websocket) must not wait in a buffer. */
    private static final class FlushingStream extends OutputStream {
        private final OutputStream out;

        FlushingStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            out.flush();
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            out.flush();
        }
    }
}
