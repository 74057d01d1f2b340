package dk.sdu.cloud.im.harness.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** {@code deploy/rbac.yaml} parses as Kubernetes objects and grants what the IM does in a cluster. */
class RbacManifestTest {
    private static final Path MANIFEST = Path.of("..", "deploy", "rbac.yaml");
    private static final List<String> MANAGE = List.of("get", "list", "watch", "create", "update", "patch", "delete");

    private static List<HasMetadata> objects;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        if (!Files.isRegularFile(MANIFEST)) {
            fail("expected the RBAC manifest at " + MANIFEST.toAbsolutePath().normalize());
        }
        try (InputStream in = Files.newInputStream(MANIFEST)) {
            objects = (List<HasMetadata>) new KubernetesSerialization().unmarshal(in);
        }
    }

    private static <T extends HasMetadata> T only(Class<T> kind) {
        List<T> found = objects.stream().filter(kind::isInstance).map(kind::cast).toList();
        assertThat(found).as(kind.getSimpleName()).hasSize(1);
        return found.get(0);
    }

    private static boolean grants(List<PolicyRule> rules, String group, String resource, String verb) {
        return rules.stream().anyMatch(r -> r.getApiGroups().contains(group) && r.getResources().contains(resource)
                && r.getVerbs().contains(verb));
    }

    @Test
    void theServiceAccountIsBoundToTheJobsRoleAndTheVolumesClusterRole() {
        ServiceAccount account = only(ServiceAccount.class);
        RoleBinding binding = only(RoleBinding.class);
        ClusterRoleBinding clusterBinding = only(ClusterRoleBinding.class);

        assertThat(objects).hasSize(5);
        assertThat(binding.getMetadata().getNamespace()).isEqualTo("ucloud-apps");
        assertThat(binding.getRoleRef().getName()).isEqualTo(only(Role.class).getMetadata().getName());
        assertThat(clusterBinding.getRoleRef().getName()).isEqualTo(only(ClusterRole.class).getMetadata().getName());
        for (var subject : List.of(binding.getSubjects().get(0), clusterBinding.getSubjects().get(0))) {
            assertThat(subject.getKind()).isEqualTo("ServiceAccount");
            assertThat(subject.getName()).isEqualTo(account.getMetadata().getName());
            assertThat(subject.getNamespace()).isEqualTo(account.getMetadata().getNamespace());
        }
    }

    @Test
    void theJobsRoleCoversTheObjectsOfAVmJob() {
        Role role = only(Role.class);
        assertThat(role.getMetadata().getNamespace()).isEqualTo("ucloud-apps");
        List<PolicyRule> rules = role.getRules();
        for (String verb : MANAGE) {
            assertThat(grants(rules, "kubevirt.io", "virtualmachines", verb)).as("virtualmachines " + verb).isTrue();
            assertThat(grants(rules, "", "persistentvolumeclaims", verb)).as("persistentvolumeclaims " + verb).isTrue();
            assertThat(grants(rules, "", "secrets", verb)).as("secrets " + verb).isTrue();
            assertThat(grants(rules, "", "services", verb)).as("services " + verb).isTrue();
            assertThat(grants(rules, "networking.k8s.io", "networkpolicies", verb)).as("networkpolicies " + verb).isTrue();
            assertThat(grants(rules, "networking.k8s.io", "ingresses", verb)).as("ingresses " + verb).isTrue();
        }
        for (String verb : List.of("get", "list", "watch")) {
            assertThat(grants(rules, "kubevirt.io", "virtualmachineinstances", verb)).isTrue();
        }
        assertThat(grants(rules, "kubevirt.io", "virtualmachineinstances", "delete")).isFalse();
        assertThat(grants(rules, "subresources.kubevirt.io", "virtualmachines/start", "update")).isTrue();
        assertThat(grants(rules, "subresources.kubevirt.io", "virtualmachines/stop", "update")).isTrue();
        assertThat(grants(rules, "subresources.kubevirt.io", "virtualmachineinstances/console", "get")).isTrue();
        assertThat(grants(rules, "subresources.kubevirt.io", "virtualmachineinstances/vnc", "get")).isTrue();
    }

    @Test
    void persistentVolumesAreInTheClusterRoleOnly() {
        assertThat(only(ClusterRole.class).getRules()).allSatisfy(rule ->
                assertThat(rule.getResources()).containsExactly("persistentvolumes"));
        for (String verb : MANAGE) {
            assertThat(grants(only(ClusterRole.class).getRules(), "", "persistentvolumes", verb)).as(verb).isTrue();
        }
        assertThat(grants(only(Role.class).getRules(), "", "persistentvolumes", "create")).isFalse();
    }
}
