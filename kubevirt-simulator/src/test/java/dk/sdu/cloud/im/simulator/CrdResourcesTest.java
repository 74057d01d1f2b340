package dk.sdu.cloud.im.simulator;

import dk.sdu.cloud.im.testdata.TestData;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The CRDs embedded mode registers are the upstream ones, schemas aside. */
class CrdResourcesTest {

    private final KubernetesSerialization serialization = new KubernetesSerialization();

    @Test
    void theRegisteredDefinitionsAreTheUpstreamOnesWithoutTheirSchemas() throws IOException {
        Map<String, CustomResourceDefinition> upstream = new java.util.HashMap<>();
        upstream.putAll(byName(read(TestData.KUBEVIRT_CRDS)));
        upstream.putAll(byName(read(TestData.CDI_DATAVOLUME_CRD)));
        Map<String, CustomResourceDefinition> registered;
        try (InputStream in = EmbeddedKubernetes.class.getResourceAsStream("crds.yaml")) {
            registered = byName(list(serialization.unmarshal(in)));
        }

        assertThat(registered.keySet()).containsExactlyInAnyOrder("virtualmachines.kubevirt.io",
                "virtualmachineinstances.kubevirt.io", "datavolumes.cdi.kubevirt.io");
        assertThat(upstream.keySet()).containsAll(registered.keySet());
        for (CustomResourceDefinition ours : registered.values()) {
            CustomResourceDefinition theirs = upstream.get(ours.getMetadata().getName());
            assertThat(ours.getSpec().getGroup()).isEqualTo(theirs.getSpec().getGroup());
            assertThat(ours.getSpec().getScope()).isEqualTo(theirs.getSpec().getScope());
            assertThat(ours.getSpec().getNames()).isEqualTo(theirs.getSpec().getNames());
            assertThat(ours.getSpec().getVersions()).hasSameSizeAs(theirs.getSpec().getVersions());
            for (int i = 0; i < ours.getSpec().getVersions().size(); i++) {
                CustomResourceDefinitionVersion mine = ours.getSpec().getVersions().get(i);
                CustomResourceDefinitionVersion upstreamVersion = theirs.getSpec().getVersions().get(i);
                assertThat(mine.getName()).isEqualTo(upstreamVersion.getName());
                assertThat(mine.getServed()).isEqualTo(upstreamVersion.getServed());
                assertThat(mine.getStorage()).isEqualTo(upstreamVersion.getStorage());
                assertThat(mine.getSubresources()).isEqualTo(upstreamVersion.getSubresources());
                assertThat(mine.getAdditionalPrinterColumns()).isEqualTo(upstreamVersion.getAdditionalPrinterColumns());
                assertThat(mine.getSchema().getOpenAPIV3Schema().getXKubernetesPreserveUnknownFields()).isTrue();
            }
        }
        assertThat(registered.get("virtualmachines.kubevirt.io").getSpec().getVersions().get(0).getSubresources()
                .getStatus()).isNotNull();
        assertThat(registered.get("virtualmachineinstances.kubevirt.io").getSpec().getVersions().get(0)
                .getSubresources()).isNull();
    }

    private List<CustomResourceDefinition> read(String testData) {
        return upstream(testData);
    }

    /** The upstream CustomResourceDefinitions of a test data file, schemas left out (for other tests too). */
    static List<CustomResourceDefinition> upstream(String testData) {
        return list(new KubernetesSerialization().unmarshal(withoutSchemas(TestData.read(testData).lines().toList())));
    }

    /** The YAML without the (large) openAPIV3Schema blocks, which this test does not compare: parsing is quick. */
    private static String withoutSchemas(List<String> lines) {
        StringBuilder kept = new StringBuilder();
        int schemaIndent = -1;
        for (String line : lines) {
            int indent = line.length() - line.stripLeading().length();
            if (schemaIndent >= 0 && (line.isBlank() || indent > schemaIndent)) {
                continue;
            }
            schemaIndent = line.strip().equals("openAPIV3Schema:") ? indent : -1;
            kept.append(schemaIndent >= 0 ? line + " {}" : line).append('\n');
        }
        return kept.toString();
    }

    private static List<CustomResourceDefinition> list(Object parsed) {
        List<CustomResourceDefinition> definitions = new ArrayList<>();
        if (parsed instanceof Collection<?> many) {
            many.forEach(one -> definitions.add((CustomResourceDefinition) one));
        } else if (parsed instanceof io.fabric8.kubernetes.api.model.KubernetesList many) {
            many.getItems().forEach(one -> definitions.add((CustomResourceDefinition) one));
        } else {
            definitions.add((CustomResourceDefinition) parsed);
        }
        return definitions;
    }

    private static Map<String, CustomResourceDefinition> byName(List<CustomResourceDefinition> definitions) {
        return definitions.stream().collect(Collectors.toMap(d -> d.getMetadata().getName(), Function.identity()));
    }
}
