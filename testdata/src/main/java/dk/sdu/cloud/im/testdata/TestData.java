package dk.sdu.cloud.im.testdata;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * The test data files, read from the class path (this module, in test scope). Names are relative to this
 * package, e.g. {@link #VM_JOB}; {@code testdata/README.md} says where each file comes from.
 */
public final class TestData {
    /** A VM job as UCloud/Core sends it to a provider (job 4242, two folders, SSH). */
    public static final String VM_JOB = "examples/job-vm.json";
    /** The example configuration with {@code HostPath} disk storage, as the installation ships it. */
    public static final String CONFIG_HOSTPATH = "examples/config-hostpath.yaml";
    /** The example configuration with {@code CsiStaticPv} disk storage, as the installation ships it. */
    public static final String CONFIG_CSI = "examples/config-csi.yaml";
    /**
     * A {@code config.yml} written for UCloud's own IM (Kubernetes, KubeVirt VMs), with every key of UCloud's
     * parser: what an operator moves over unchanged.
     */
    public static final String CONFIG_UCLOUD_IM = "examples/config-ucloud-im.yaml";
    /** KubeVirt v1.9.0's VirtualMachine and VirtualMachineInstance CRDs (derived; see the README). */
    public static final String KUBEVIRT_CRDS = "schemas/kubevirt-crds.derived.yaml";
    /** CDI v1.66.0's DataVolume CRD. */
    public static final String CDI_DATAVOLUME_CRD = "schemas/cdi-datavolume-crd.yaml";
    /**
     * Kubernetes' OpenAPI v3 component schemas of Service, NetworkPolicy, Ingress, PersistentVolume,
     * PersistentVolumeClaim and Secret with everything they refer to (derived; see the README). Read through
     * {@link KubernetesSchemas}.
     */
    public static final String KUBERNETES_SCHEMAS = "schemas/kubernetes-v1-subset.openapi.json";
    /**
     * A VM job (4242's twin, job 4243) with a public IP ({@code network}), two public links ({@code ingress},
     * ports 8080 and 8443) and a private network.
     */
    public static final String VM_JOB_NETWORKED = "examples/job-vm-networked.json";
    /**
     * The network resources {@link #VM_JOB_NETWORKED} uses, in the shape {@code ucloud-im render --resources}
     * reads: {@code publicIps}, {@code publicLinks}, {@code privateNetworks}.
     */
    public static final String NETWORK_RESOURCES = "examples/network-resources.json";

    /**
     * A ring of guest metrics (docs/metrics-format.md) as the agent's writer writes it: 8 slots, 11 samples, ring id
     * 0x0123456789ABCDEF. The agent's test checks that its writer still writes exactly this; the plugin's reader
     * tests read it.
     */
    public static final String METRICS_GOLDEN_RING = "metrics/golden.ring";

    private TestData() {
    }

    /** Opens a file; the caller closes the stream. */
    public static InputStream open(String name) {
        URL url = url(name);
        try {
            return url.openStream();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read test data " + name + " (" + url + ")", e);
        }
    }

    /** A file's content as UTF-8 text. */
    public static String read(String name) {
        try (InputStream in = open(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read test data " + name, e);
        }
    }

    /**
     * Copies a file into {@code folder} (under its own file name) for code that reads a path, e.g. a command
     * line. The test data may sit in a jar, so there is no path to hand out directly.
     */
    public static Path copyTo(String name, Path folder) {
        requireNonNull(folder, "folder is null");
        Path target = folder.resolve(Path.of(name).getFileName());
        try (InputStream in = open(name)) {
            Files.createDirectories(folder);
            Files.copy(in, target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy test data " + name + " to " + target, e);
        }
    }

    private static URL url(String name) {
        requireNonNull(name, "name is null");
        URL url = TestData.class.getResource(name);
        if (url == null) {
            throw new IllegalArgumentException("no test data named " + name + " in package "
                    + TestData.class.getPackageName() + " (is im-testdata a test dependency of this module?)");
        }
        return url;
    }
}
