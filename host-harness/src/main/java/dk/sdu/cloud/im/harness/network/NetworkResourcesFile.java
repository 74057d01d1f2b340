package dk.sdu.cloud.im.harness.network;

import dk.sdu.cloud.im.spi.network.IpProtocol;
import dk.sdu.cloud.im.spi.network.PortRange;
import dk.sdu.cloud.im.spi.network.PrivateNetwork;
import dk.sdu.cloud.im.spi.network.PublicIp;
import dk.sdu.cloud.im.spi.network.PublicLink;
import dk.sdu.cloud.im.spi.network.ResourceOwner;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * Reads a file of network resources given up front ({@code ucloud-im render --resources}): a JSON object with
 * the arrays {@code publicIps}, {@code publicLinks} and {@code privateNetworks}, whose elements have the fields of
 * {@link PublicIp}, {@link PublicLink} and {@link PrivateNetwork} ({@code owner} is {@code {createdBy, project}},
 * an open port is {@code {start, end, protocol}}). Each array may be left out. Unknown fields are refused, so that
 * a misspelt one does not silently leave a resource without its value.
 */
public final class NetworkResourcesFile {
    /** The file's array of public IPs. */
    public static final String PUBLIC_IPS = "publicIps";
    /** The file's array of public links. */
    public static final String PUBLIC_LINKS = "publicLinks";
    /** The file's array of private networks. */
    public static final String PRIVATE_NETWORKS = "privateNetworks";

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private NetworkResourcesFile() {
    }

    /**
     * @param json the file's content
     * @throws IllegalArgumentException saying where and what is wrong, e.g.
     *                                  {@code publicIps[0].openPorts[1].protocol: expected TCP or UDP, got "SCTP"}
     */
    public static FixedNetworkResources parse(byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (StreamReadException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new IllegalArgumentException("malformed JSON" + where + ": " + e.getOriginalMessage().lines()
                    .findFirst().orElse(""), e);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("expected a JSON object with " + PUBLIC_IPS + ", " + PUBLIC_LINKS
                    + " and " + PRIVATE_NETWORKS + ", got " + describe(root));
        }
        onlyFields(root, "", PUBLIC_IPS, PUBLIC_LINKS, PRIVATE_NETWORKS);
        List<PublicIp> publicIps = list(root, PUBLIC_IPS, PUBLIC_IPS, NetworkResourcesFile::publicIp);
        List<PublicLink> publicLinks = list(root, PUBLIC_LINKS, PUBLIC_LINKS, NetworkResourcesFile::publicLink);
        List<PrivateNetwork> privateNetworks = list(root, PRIVATE_NETWORKS, PRIVATE_NETWORKS,
                NetworkResourcesFile::privateNetwork);
        unique(publicIps.stream().map(PublicIp::id).toList(), PUBLIC_IPS);
        unique(publicLinks.stream().map(PublicLink::id).toList(), PUBLIC_LINKS);
        unique(privateNetworks.stream().map(PrivateNetwork::id).toList(), PRIVATE_NETWORKS);
        return new FixedNetworkResources(publicIps, publicLinks, privateNetworks);
    }

    private static PublicIp publicIp(JsonNode node, String path) {
        onlyFields(node, path, "id", "owner", "externalAddress", "internalAddress", "openPorts");
        List<PortRange> openPorts = list(node, path + ".openPorts", "openPorts", NetworkResourcesFile::portRange);
        return new PublicIp(text(node, path, "id"), owner(node, path), text(node, path, "externalAddress"),
                text(node, path, "internalAddress"), openPorts);
    }

    private static PublicLink publicLink(JsonNode node, String path) {
        onlyFields(node, path, "id", "owner", "domain");
        return new PublicLink(text(node, path, "id"), owner(node, path), text(node, path, "domain"));
    }

    private static PrivateNetwork privateNetwork(JsonNode node, String path) {
        onlyFields(node, path, "id", "owner", "name", "subdomain");
        return new PrivateNetwork(text(node, path, "id"), owner(node, path), text(node, path, "name"),
                text(node, path, "subdomain"));
    }

    private static ResourceOwner owner(JsonNode resource, String path) {
        String ownerPath = path + ".owner";
        JsonNode owner = object(resource.get("owner"), ownerPath);
        onlyFields(owner, ownerPath, "createdBy", "project");
        JsonNode project = owner.get("project");
        if (project != null && !project.isNull() && !project.isString()) {
            throw new IllegalArgumentException(ownerPath + ".project: expected a string or null, got "
                    + describe(project));
        }
        return new ResourceOwner(text(owner, ownerPath, "createdBy"),
                project == null || project.isNull() ? null : project.asString());
    }

    private static PortRange portRange(JsonNode node, String path) {
        onlyFields(node, path, "start", "end", "protocol");
        int start = port(node, path, "start");
        int end = port(node, path, "end");
        String protocol = text(node, path, "protocol");
        if (Arrays.stream(IpProtocol.values()).noneMatch(p -> p.name().equals(protocol))) {
            throw new IllegalArgumentException(path + ".protocol: expected " + Arrays.stream(IpProtocol.values())
                    .map(Enum::name).collect(Collectors.joining(" or ")) + ", got \"" + protocol + "\"");
        }
        try {
            return new PortRange(start, end, IpProtocol.valueOf(protocol));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
        }
    }

    private static <T> List<T> list(JsonNode parent, String path, String field,
                                    BiFunction<JsonNode, String, T> element) {
        JsonNode array = parent.get(field);
        if (array == null) {
            return List.of();
        }
        if (!array.isArray()) {
            throw new IllegalArgumentException(path + ": expected an array, got " + describe(array));
        }
        List<T> values = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String elementPath = path + "[" + i + "]";
            values.add(element.apply(object(array.get(i), elementPath), elementPath));
        }
        return values;
    }

    private static void unique(List<String> ids, String path) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            if (!seen.add(ids.get(i))) {
                throw new IllegalArgumentException(path + "[" + i + "].id: \"" + ids.get(i)
                        + "\" is the id of an earlier element too");
            }
        }
    }

    private static JsonNode object(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(path + ": expected an object, got " + describe(node));
        }
        return node;
    }

    private static String text(JsonNode node, String path, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException(path + "." + field + ": missing");
        }
        if (!value.isString() || value.asString().isBlank()) {
            throw new IllegalArgumentException(path + "." + field + ": expected a non-empty string, got "
                    + describe(value));
        }
        return value.asString();
    }

    private static int port(JsonNode node, String path, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException(path + "." + field + ": missing");
        }
        if (!value.isInt()) {
            throw new IllegalArgumentException(path + "." + field + ": expected a port number, got "
                    + describe(value));
        }
        return value.asInt();
    }

    private static void onlyFields(JsonNode node, String path, String... known) {
        Set<String> allowed = Set.of(known);
        for (String name : node.propertyNames()) {
            if (!allowed.contains(name)) {
                throw new IllegalArgumentException((path.isEmpty() ? "" : path + ".") + name
                        + ": unknown field; expected one of " + String.join(", ", known));
            }
        }
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isNull()) {
            return "null";
        }
        if (node.isString()) {
            return "the string \"" + node.asString() + "\"";
        }
        if (node.isNumber()) {
            return "the number " + node;
        }
        if (node.isBoolean()) {
            return node.toString();
        }
        return node.isArray() ? "an array" : "an object";
    }
}
