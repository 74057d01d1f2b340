package dk.sdu.cloud.im.kubevirt.manifest;

import dk.sdu.cloud.im.kubevirt.testing.ExampleProvider;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ManifestRendererTest {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final ManifestRenderer RENDERER = new ManifestRenderer();

    private static List<JsonNode> documents(String yaml) {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAMLMapper.builder().build().readerFor(JsonNode.class).readValues(yaml)) {
            it.forEachRemaining(documents::add);
        }
        return documents;
    }

    @ParameterizedTest
    @ValueSource(strings = {ExampleProvider.HOSTPATH, ExampleProvider.CSI})
    void everyObjectIsOneDocumentInOrderAndReadsBackAsItself(String config) {
        VmJobObjects objects = VmJobObjectsFactoryTest.example(config);
        String yaml = RENDERER.render(objects);

        assertThat(yaml).startsWith("---\n");
        List<JsonNode> documents = documents(yaml);
        assertThat(documents).hasSize(objects.all().size());
        assertThat(documents.get(0).path("kind").asString()).isEqualTo("VirtualMachine");

        JsonMapper json = JsonMapper.builder().build();
        for (int i = 0; i < documents.size(); i++) {
            HasMetadata original = objects.all().get(i);
            Object read = SERIALIZATION.unmarshal(json.writeValueAsString(documents.get(i)));
            assertThat(read).as("document %d (%s %s)", i, original.getKind(), original.getMetadata().getName())
                    .isInstanceOf(original.getClass())
                    .isEqualTo(original);
        }
    }

    @Test
    void theSameObjectsGiveTheSameText() {
        assertThat(RENDERER.render(VmJobObjectsFactoryTest.example(ExampleProvider.CSI)))
                .isEqualTo(new ManifestRenderer().render(VmJobObjectsFactoryTest.example(ExampleProvider.CSI)));
    }

    @Test
    void typedObjectsSurviveAJsonRoundTripThroughFabric8Models() throws ReflectiveOperationException {
        VmJobObjects objects = VmJobObjectsFactoryTest.example(ExampleProvider.HOSTPATH);
        List<HasMetadata> typed = new ArrayList<>();
        typed.addAll(objects.persistentVolumes());
        typed.addAll(objects.persistentVolumeClaims());
        typed.add(objects.cloudInitSecret());
        typed.add(objects.networkPolicy());
        typed.add(objects.service());
        typed.add(objects.sshService().orElseThrow());
        assertThat(typed).extracting(Object::getClass).containsOnly(PersistentVolume.class,
                PersistentVolumeClaim.class, Secret.class, NetworkPolicy.class, Service.class);
        for (HasMetadata object : typed) {
            HasMetadata read = SERIALIZATION.unmarshal(SERIALIZATION.asJson(object), object.getClass());
            assertThat(read).isEqualTo(object);
            // fabric8 keeps fields its model does not know in additionalProperties: there must be none.
            Object unknown = read.getClass().getMethod("getAdditionalProperties").invoke(read);
            assertThat((Map<?, ?>) unknown).as("unknown fields of %s", object.getKind()).isEmpty();
        }
        GenericKubernetesResource vm = objects.virtualMachine();
        assertThat(SERIALIZATION.unmarshal(SERIALIZATION.asJson(vm), GenericKubernetesResource.class)).isEqualTo(vm);
    }
}
