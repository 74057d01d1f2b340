package dk.sdu.cloud.im.storage.csi;

import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.config.ConfigSection;
import dk.sdu.cloud.im.spi.config.ValidatedConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@code services.compute.virtualMachines.storage} when its type is {@code CsiStaticPv}.
 *
 * @param csi the CSI settings
 */
@ConfigSection("services.compute.virtualMachines.storage")
public record CsiStorageConfig(Csi csi) implements ValidatedConfig {

    /** The prefix {@code subpathField} must carry, as in UCloud/IM's configuration. */
    static final String ATTRIBUTES_PREFIX = "volumeAttributes.";

    /**
     * {@code storage.csi}.
     *
     * @param storageClassName   the storage class name put on the PV (and so on its claim)
     * @param driver             the CSI driver, e.g. {@code cephfs.csi.ceph.com}
     * @param nodeStageSecretRef the secret the driver needs to stage the volume, if any
     * @param volumeAttributes   the volume attributes every PV gets
     * @param subpathField       {@code volumeAttributes.<key>}: the attribute that gets the job folder appended
     */
    public record Csi(
            String storageClassName,
            String driver,
            Optional<SecretReference> nodeStageSecretRef,
            Map<String, String> volumeAttributes,
            String subpathField
    ) {
    }

    /**
     * A secret reference.
     *
     * @param name      the secret's name
     * @param namespace the secret's namespace
     */
    public record SecretReference(String name, String namespace) {
    }

    /** The attribute key that {@code subpathField} names. */
    String subpathKey() {
        return csi.subpathField().substring(ATTRIBUTES_PREFIX.length());
    }

    @Override
    public List<ConfigProblem> validate() {
        List<ConfigProblem> problems = new ArrayList<>();
        if (csi == null) {
            return problems;
        }
        if (csi.driver() != null && csi.driver().isBlank()) {
            problems.add(new ConfigProblem("csi.driver", "must not be empty"));
        }
        if (csi.volumeAttributes().isEmpty()) {
            problems.add(new ConfigProblem("csi.volumeAttributes",
                    "must hold at least the attribute that subpathField names"));
        }
        String field = csi.subpathField();
        if (field != null) {
            if (!field.startsWith(ATTRIBUTES_PREFIX) || field.length() == ATTRIBUTES_PREFIX.length()) {
                problems.add(new ConfigProblem("csi.subpathField",
                        "must have the form 'volumeAttributes.<key>', got '" + field + "'"));
            } else {
                String key = field.substring(ATTRIBUTES_PREFIX.length());
                String value = csi.volumeAttributes().get(key);
                if (value == null) {
                    problems.add(new ConfigProblem("csi.subpathField", "'" + field
                            + "' names no key of csi.volumeAttributes (keys: "
                            + String.join(", ", new TreeSet<>(csi.volumeAttributes().keySet())) + ")"));
                } else if (value.isBlank()) {
                    problems.add(new ConfigProblem("csi.volumeAttributes." + key,
                            "is named by subpathField and must not be empty"));
                }
            }
        }
        csi.nodeStageSecretRef().ifPresent(ref -> {
            if (ref.name() == null || ref.name().isBlank()) {
                problems.add(new ConfigProblem("csi.nodeStageSecretRef.name", "must not be empty"));
            }
            if (ref.namespace() == null || ref.namespace().isBlank()) {
                problems.add(new ConfigProblem("csi.nodeStageSecretRef.namespace", "must not be empty"));
            }
        });
        return problems;
    }
}
