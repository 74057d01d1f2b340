package dk.sdu.cloud.im.kubevirt.admission;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The job label {@code ucloud.dk/service-forward-tcp}: a JSON array of TCP ports that the job's
 * {@code j-<job>} Service forwards besides the dummy port 4, as UCloud/IM reads it. Unlike UCloud/IM, a
 * port listed twice is refused rather than merged, and so is a list longer than {@link #MAX_PORTS}: every
 * port becomes a Service port and a NetworkPolicy rule.
 */
final class ServicePorts {
    /** The job label naming extra TCP ports of the job's Service. */
    static final String FORWARD_TCP_LABEL = "ucloud.dk/service-forward-tcp";
    /** UCloud/IM's dummy port, always present so that the Service has at least one port. */
    static final int DUMMY_PORT = 4;
    /** The most ports the label may list. */
    static final int MAX_PORTS = 32;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ServicePorts() {
    }

    /** The ports in the label, ascending, without the dummy port. */
    static List<Integer> forwardedPorts(Map<String, String> labels, List<String> problems) {
        String value = labels.get(FORWARD_TCP_LABEL);
        if (value == null || value.isBlank()) {
            return List.of();
        }
        String problem = "The label " + FORWARD_TCP_LABEL + " must be a JSON array of at most " + MAX_PORTS
                + " different TCP ports (1-65535), got '" + UserText.printable(value) + "'";
        JsonNode node;
        try {
            node = JSON.readTree(value);
        } catch (JacksonException e) {
            problems.add(problem + ".");
            return List.of();
        }
        if (!node.isArray()) {
            problems.add(problem + ".");
            return List.of();
        }
        if (node.size() > MAX_PORTS) {
            problems.add(problem + ": it lists " + node.size() + ".");
            return List.of();
        }
        TreeSet<Integer> ports = new TreeSet<>();
        for (JsonNode element : node) {
            if (!element.isIntegralNumber() || !element.canConvertToInt()
                    || element.intValue() < 1 || element.intValue() > 65535) {
                problems.add(problem + ".");
                return List.of();
            }
            if (!ports.add(element.intValue())) {
                problems.add(problem + ": port " + element.intValue() + " is listed more than once.");
                return List.of();
            }
        }
        ports.remove(DUMMY_PORT);
        return List.copyOf(ports);
    }
}
