package dk.sdu.cloud.im.kubevirt.lifecycle;

import dk.sdu.cloud.im.kubevirt.manifest.VmJobLabels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.Map;
import java.util.Optional;

/**
 * What the plugin means a job's VM to be doing, recorded on the VM as the annotation
 * {@value VmJobLabels#LIFECYCLE}, so that an IM that starts again knows what to carry on with.
 */
public enum LifecycleIntent {
    /** Halted while its disk is prepared; switched on when the disk is ready. */
    STARTING(VmJobLabels.LIFECYCLE_STARTING),
    /** Running. */
    RUNNING(VmJobLabels.LIFECYCLE_RUNNING),
    /** Halted by a suspend. */
    SUSPENDED(VmJobLabels.LIFECYCLE_SUSPENDED),
    /** Halted because its guest powered itself off: suspended as by a suspend, and said so. */
    POWERED_OFF(VmJobLabels.LIFECYCLE_POWERED_OFF);

    private final String annotationValue;

    LifecycleIntent(String annotationValue) {
        this.annotationValue = annotationValue;
    }

    /** The annotation's value. */
    public String annotationValue() {
        return annotationValue;
    }

    /** The intent recorded on a VM, if any. */
    public static Optional<LifecycleIntent> of(GenericKubernetesResource vm) {
        Map<String, String> annotations = vm == null ? null : vm.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(VmJobLabels.LIFECYCLE);
        for (LifecycleIntent intent : values()) {
            if (intent.annotationValue.equals(value)) {
                return Optional.of(intent);
            }
        }
        return Optional.empty();
    }
}
