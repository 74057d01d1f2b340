package dk.sdu.cloud.im.kubevirt.cloudinit;

import dk.sdu.cloud.im.kubevirt.admission.VmMount;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MountsFileRendererTest {
    private final MountsFileRenderer renderer = new MountsFileRenderer();

    @Test
    void listsEachFolderWithTagPathAndReadOnly() {
        String text = renderer.render(List.of(
                VmMount.of(VmMount.Kind.USER_FOLDER, "r0", "/work/Data", "drives/17/Data", false),
                VmMount.of(VmMount.Kind.USER_FOLDER, "r1", "/data/ref", "drives/17/Reference", true)));
        JsonNode doc = CloudInitRendererTest.singleDocument(text);
        assertThat(doc.path("mounts")).hasSize(2);
        assertThat(doc.path("mounts").get(0).path("tag").asString()).isEqualTo("ucloud-r0");
        assertThat(doc.path("mounts").get(0).path("path").asString()).isEqualTo("/work/Data");
        assertThat(doc.path("mounts").get(0).path("readOnly").isBoolean()).isTrue();
        assertThat(doc.path("mounts").get(0).path("readOnly").asBoolean()).isFalse();
        assertThat(doc.path("mounts").get(1).path("readOnly").asBoolean()).isTrue();
    }

    @Test
    void noFoldersGiveAnEmptyList() {
        JsonNode doc = CloudInitRendererTest.singleDocument(renderer.render(List.of()));
        assertThat(doc.path("mounts").isArray()).isTrue();
        assertThat(doc.path("mounts")).isEmpty();
    }

    @Test
    void hostileFolderNamesStayPaths() {
        List<VmMount> folders = new ArrayList<>();
        for (int i = 0; i < CloudInitFixtures.HOSTILE.size(); i++) {
            folders.add(VmMount.of(VmMount.Kind.USER_FOLDER, "r" + i, "/work/" + CloudInitFixtures.HOSTILE.get(i),
                    "drives/1/x", i % 2 == 0));
        }
        JsonNode doc = CloudInitRendererTest.singleDocument(renderer.render(folders));
        assertThat(doc.propertyNames()).containsExactly("mounts");
        assertThat(doc.path("mounts")).hasSize(folders.size());
        for (int i = 0; i < folders.size(); i++) {
            JsonNode entry = doc.path("mounts").get(i);
            assertThat(entry.propertyNames()).containsExactly("tag", "path", "readOnly");
            assertThat(entry.path("path").asString()).isEqualTo(folders.get(i).guestPath());
            assertThat(entry.path("readOnly").asBoolean()).isEqualTo(i % 2 == 0);
        }
    }
}
