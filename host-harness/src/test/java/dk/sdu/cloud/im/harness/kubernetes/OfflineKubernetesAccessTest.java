package dk.sdu.cloud.im.harness.kubernetes;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class OfflineKubernetesAccessTest {

    @Test
    void everyRequestIsRefusedBeforeItIsSentNamingTheCommand() {
        try (OfflineKubernetesAccess offline = new OfflineKubernetesAccess("ucloud-apps", "ucloud-im render")) {
            Throwable refused = catchThrowable(() -> offline.client().configMaps().inNamespace(offline.namespace()).list());

            assertThat(refused).isNotNull();
            assertThat(causes(refused)).anyMatch(m -> m.contains(
                    "ucloud-im render contacts no cluster, but a plugin tried GET /api/v1/namespaces/ucloud-apps/configmaps"));
            assertThat(offline.namespace()).isEqualTo("ucloud-apps");
        }
    }

    private static java.util.List<String> causes(Throwable e) {
        java.util.List<String> messages = new java.util.ArrayList<>();
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            messages.add(String.valueOf(cause.getMessage()));
        }
        return messages;
    }
}
