package dk.sdu.cloud.im.spi.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Collections;

/**
 * What the user asked for.
 *
 * @param application    the application reference
 * @param product        the machine type
 * @param name           the job's title, chosen by the user (may be null)
 * @param hostname       a host name chosen by the user (may be null)
 * @param replicas       the number of nodes (ranks)
 * @param parameters     the application's parameters and the provider's dynamic parameters, by name
 * @param resources      attached resources: folders, networks, public IPs, links
 * @param timeAllocation the requested time, or null (Core clears it for virtual machines)
 * @param sshEnabled     whether the user asked for SSH access
 * @param labels         the job's labels
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobSpecification(
        NameAndVersion application,
        ProductReference product,
        String name,
        String hostname,
        int replicas,
        Map<String, AppParameterValue> parameters,
        List<AppParameterValue> resources,
        SimpleDuration timeAllocation,
        boolean sshEnabled,
        Map<String, String> labels
) {
    public JobSpecification {
        parameters = parameters == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        resources = resources == null ? List.of() : List.copyOf(resources);
        labels = labels == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }
}
