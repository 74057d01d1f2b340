package dk.sdu.cloud.im.kubevirt.manifest;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A job's objects as a multi-document YAML stream, for people ({@code ucloud-im render}) and for
 * {@code kubectl create -f}. The documents come in {@link VmJobObjects#all()} order (the VM first, then
 * what it needs, then networking), each starting with {@code ---}; fields within an object come in
 * fabric8's order, the VM's spec in the order it was built. The same objects always give the same text.
 */
public final class ManifestRenderer {
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    /** The job's objects as YAML. */
    public String render(VmJobObjects objects) {
        requireNonNull(objects, "objects is null");
        return render(objects.all());
    }

    /** Any objects as YAML, in the given order. */
    public String render(List<? extends HasMetadata> objects) {
        StringBuilder stream = new StringBuilder();
        for (HasMetadata object : objects) {
            String document = serialization.asYaml(object);
            if (!document.startsWith("---")) {
                stream.append("---\n");
            }
            stream.append(document);
            if (!document.endsWith("\n")) {
                stream.append('\n');
            }
        }
        return stream.toString();
    }
}
