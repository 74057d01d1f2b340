package dk.sdu.cloud.im.harness.kubernetes;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Where embedded mode keeps its cluster, and the kubectl command it prints. */
class EmbeddedClusterFilesTest {

    @Test
    void theFilesAreInTheDataDirectory() {
        EmbeddedClusterFiles files = EmbeddedClusterFiles.in(Path.of("/srv/im/data"));
        assertThat(files.stateFile()).isEqualTo(Path.of("/srv/im/data/embedded-cluster/objects.jsonl"));
        assertThat(files.kubeconfig()).isEqualTo(Path.of("/srv/im/data/kubeconfig"));
        assertThat(files.kubectlCommand()).isEqualTo("KUBECONFIG=/srv/im/data/kubeconfig kubectl get vm,vmi,pvc");
    }

    @Test
    void aPathAShellWouldSplitIsQuoted() {
        assertThat(EmbeddedClusterFiles.in(Path.of("/srv/my im/it's")).kubectlCommand())
                .isEqualTo("KUBECONFIG='/srv/my im/it'\\''s/kubeconfig' kubectl get vm,vmi,pvc");
    }
}
