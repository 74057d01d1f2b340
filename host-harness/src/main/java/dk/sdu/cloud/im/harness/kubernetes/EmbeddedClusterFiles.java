package dk.sdu.cloud.im.harness.kubernetes;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * Where embedded mode keeps its cluster in the data directory: the objects of the embedded API (loaded at
 * start, written on every change) and a kubeconfig for kubectl (rewritten at every start: the API's port is
 * a free one each time).
 *
 * @param stateFile  the embedded API's objects
 * @param kubeconfig the kubeconfig for the embedded API (mode 0600)
 */
public record EmbeddedClusterFiles(Path stateFile, Path kubeconfig) {
    /** The state file, relative to the data directory. */
    public static final String STATE_FILE = "embedded-cluster/objects.jsonl";
    /** The kubeconfig, relative to the data directory. */
    public static final String KUBECONFIG = "kubeconfig";

    public EmbeddedClusterFiles {
        requireNonNull(stateFile, "stateFile is null");
        requireNonNull(kubeconfig, "kubeconfig is null");
    }

    /** The files in a data directory. */
    public static EmbeddedClusterFiles in(Path dataDirectory) {
        requireNonNull(dataDirectory, "dataDirectory is null");
        return new EmbeddedClusterFiles(dataDirectory.resolve(STATE_FILE), dataDirectory.resolve(KUBECONFIG));
    }

    /** The command that shows the jobs' objects with kubectl. */
    public String kubectlCommand() {
        String path = kubeconfig.toAbsolutePath().toString();
        // Quoted for a shell when the data directory's path has a space or another special character.
        String word = path.matches("[A-Za-z0-9/._+-]+") ? path : "'" + path.replace("'", "'\\''") + "'";
        return "KUBECONFIG=" + word + " kubectl get vm,vmi,pvc";
    }
}
