package dk.sdu.cloud.im.harness.core;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import static java.util.Objects.requireNonNull;

/**
 * The call to UCloud/Core's public IP control API the IM makes: telling Core which address a public IP resource
 * got ({@value #UPDATE}, as UCloud's IM does after allocating one). Bodies are written in full, with Core's
 * optional fields as {@code null}.
 */
public final class CorePublicIpControl {
    /** Core's bulk call that adds updates to public IPs. */
    public static final String UPDATE = "/api/networkips/control/update";
    /** The state of a public IP that has its address. */
    public static final String READY = "READY";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final CoreTransport transport;

    public CorePublicIpControl(CoreTransport transport) {
        this.transport = requireNonNull(transport, "transport is null");
    }

    /**
     * Tells Core that a public IP is ready at an address.
     *
     * @param id        the resource's id at Core
     * @param address   its public address
     * @param timestamp when it got it, milliseconds since the epoch
     * @throws CoreCallException Core's refusal or no answer
     */
    public void ready(String id, String address, long timestamp) throws CoreCallException {
        requireNonNull(id, "id is null");
        requireNonNull(address, "address is null");
        ObjectNode body = NODES.objectNode();
        ObjectNode entry = body.putArray("items").addObject();
        entry.put("id", id);
        ObjectNode update = entry.putObject("update");
        update.put("state", READY);
        update.put("changeIpAddress", true);
        update.put("newIpAddress", address);
        update.put("timestamp", timestamp);
        update.putNull("binding");
        transport.post(UPDATE, body);
    }
}
