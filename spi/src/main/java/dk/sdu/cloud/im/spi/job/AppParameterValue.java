package dk.sdu.cloud.im.spi.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A parameter value or an attached resource, in Core's tagged shape. Which fields are set depends on
 * {@link #type()}: {@code file} uses {@code path}, {@code mountPath} and {@code readOnly}; {@code integer},
 * {@code text}, {@code boolean} and {@code floating_point} use {@code value}; {@code peer} uses
 * {@code hostname} and {@code jobId}; {@code network}, {@code ingress}, {@code license_server} and
 * {@code private_network} use {@code id}.
 *
 * @param type      the value's type tag, e.g. {@code file} or {@code integer}
 * @param path      a UCloud path such as {@code /17/Data}, for files
 * @param mountPath where a file resource should appear in the job, when the user chose it
 * @param readOnly  whether a file resource is mounted read-only
 * @param value     a plain value: Integer/Long, Double, String or Boolean
 * @param hostname  a peer's host name
 * @param jobId     a peer's job id
 * @param id        a resource id (network, ingress, license, private network)
 * @param port      a port (ingress)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AppParameterValue(
        String type,
        String path,
        String mountPath,
        Boolean readOnly,
        Object value,
        String hostname,
        String jobId,
        String id,
        Integer port
) {
    /** Type tag of folder and file resources. */
    public static final String FILE = "file";

    /** A file resource. */
    public static AppParameterValue file(String path, boolean readOnly) {
        return new AppParameterValue(FILE, path, null, readOnly, null, null, null, null, null);
    }

    /** A plain integer value. */
    public static AppParameterValue integer(long value) {
        return new AppParameterValue("integer", null, null, null, value, null, null, null, null);
    }

    /** Whether a file resource is read-only; false when unset. */
    public boolean readOnlyOrFalse() {
        return Boolean.TRUE.equals(readOnly);
    }
}
