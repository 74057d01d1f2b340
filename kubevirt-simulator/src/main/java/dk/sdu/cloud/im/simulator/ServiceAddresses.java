package dk.sdu.cloud.im.simulator;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The API server's allocation of Service cluster addresses, which the mock API server does not do: a Service
 * created without {@code spec.clusterIP} (neither headless, {@code None}, nor {@code ExternalName}) is stored with
 * the next address of {@code 10.96.0.0/16} (Kubernetes' default service range) in {@code clusterIP} and
 * {@code clusterIPs}, so the create's answer carries it, as a real API server's does. Addresses are handed out in
 * turn, one server-wide, and not reused (a range of 65,000 outlasts any test).
 */
final class ServiceAddresses {
    /** {@code POST} of a Service: the collection path of a namespace's Services. */
    private static final Pattern CREATE = Pattern.compile("/api/v1/namespaces/[^/?]+/services/?(\\?.*)?");
    /** The first host number handed out (10.96.0.1 is the {@code kubernetes} Service's, .10 DNS's). */
    private static final int FIRST = 16;
    private static final int RANGE = 256 * 256;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AtomicInteger next = new AtomicInteger(FIRST);

    /** Whether a request creates a Service. */
    static boolean isCreate(String method, String path) {
        return "POST".equals(method) && CREATE.matcher(path).matches();
    }

    /**
     * The body of a Service create with an address filled in; the body unchanged when it needs none or is not
     * a Service the server would accept (the store answers that).
     */
    byte[] withAddress(byte[] body) {
        JsonNode service;
        try {
            service = JSON.readTree(body);
        } catch (JacksonException e) {
            return body;
        }
        if (!(service instanceof ObjectNode root) || !"Service".equals(root.path("kind").asString(""))) {
            return body;
        }
        JsonNode spec = root.path("spec");
        if (!spec.isObject() || !spec.path("clusterIP").asString("").isEmpty()
                || "ExternalName".equals(spec.path("type").asString(""))) {
            return body;
        }
        int host = next.getAndUpdate(n -> n + 1 >= RANGE ? FIRST : n + 1);
        String address = "10.96." + (host / 256) + "." + (host % 256);
        ((ObjectNode) spec).put("clusterIP", address);
        ((ObjectNode) spec).putArray("clusterIPs").add(address);
        return JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
    }
}
