package dk.sdu.cloud.im.kubevirt.admission;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The job label {@code ucloud.dk/service-forward-tcp}: a JSON array of TCP ports that the job's
 * {@code j-<job>} Service forwards besides the dummy port 4, as UCloud/IM reads it.
 */
final class ServicePorts {
    /** The job label naming extra TCP ports of the job's Service. */
    static final String FORWARD_TCP_LABEL = "ucloud.dk/service-forward-tcp";
    /** UCloud/IM's dummy port, always present so that the Service has at least one port. */
    static final int DUMMY_PORT = 4;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ServicePorts() {
    }

    /** The ports in the label, ascending, without duplicates and without the dummy port. */
    static List<Integer> forwardedPorts(Map<String, String> labels, List<String> problems) {
        String value = labels.get(FORWARD_TCP_LABEL);
        if (value == null || value.isBlank()) {
            return List.of();
        }
        String problem = "The label " + FORWARD_TCP_LABEL + " must be a JSON array of TCP ports (1-65535), got '"
                + value + "'.";
        JsonNode node;
        try {
            node = JSON.readTree(value);
        } catch (JacksonException e) {
            problems.add(problem);
            return List.of();
        }
        TreeSet<Integer> ports = new TreeSet<>();
        if (!node.isArray()) {
            problems.add(problem);
            return List.of();
        }
        for (JsonNode element : node) {
            if (!element.isIntegralNumber() || !element.canConvertToInt()
                    || element.intValue() < 1 || element.intValue() > 65535) {
                problems.add(problem);
                return List.of();
            }
            ports.add(element.intValue());
        }
        ports.remove(DUMMY_PORT);
        return List.copyOf(ports);
    }
}
