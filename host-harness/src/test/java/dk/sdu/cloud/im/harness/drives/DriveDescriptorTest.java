package dk.sdu.cloud.im.harness.drives;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DriveDescriptorTest {

    private static DriveDescriptor parse(String providerGeneratedId) {
        return DriveDescriptor.parse(Optional.ofNullable(providerGeneratedId));
    }

    private static String folder(String providerGeneratedId) {
        return ((DriveDescriptor.LocalDrive) parse(providerGeneratedId)).folder("17");
    }

    @Test
    void eachKindOfProviderGeneratedIdIsItsFolder() {
        assertThat(folder("h-alice#1234")).isEqualTo("home/alice#1234");
        assertThat(folder("p-p-123/Experiments")).isEqualTo("projects/p-123/Experiments");
        assertThat(folder("pm-p-123/bob#1")).isEqualTo("projects/p-123/Members' Files/bob#1");
        assertThat(folder(null)).isEqualTo("collections/17");
        assertThat(folder("")).isEqualTo("collections/17");
        assertThat(parse("s-42")).isEqualTo(new DriveDescriptor.Share("42"));
    }

    @Test
    void aDescriptorGivesBackItsProviderGeneratedId() {
        for (String id : List.of("h-alice", "p-p1/repo", "pm-p1/bob", "s-42")) {
            assertThat(parse(id).providerGeneratedId()).as(id).contains(id);
        }
        assertThat(parse(null).providerGeneratedId()).isEmpty();
    }

    @Test
    void memberFilesAreTheHomeOrTheProjectMemberFilesWithUCloudsTitlesAndProducts() {
        DriveDescriptor.MemberFilesDrive home = DriveDescriptor.memberFilesOf("alice", Optional.empty());
        assertThat(home.providerGeneratedId()).contains("h-alice");
        assertThat(home.title()).isEqualTo("Home");
        assertThat(home.productId("storage")).isEqualTo("storage");

        DriveDescriptor.MemberFilesDrive member = DriveDescriptor.memberFilesOf("bob", Optional.of("p-1"));
        assertThat(member.providerGeneratedId()).contains("pm-p-1/bob");
        assertThat(member.title()).isEqualTo("Member Files: bob");
        assertThat(member.productId("storage")).isEqualTo("project-home");
    }

    @Test
    void anUnknownKindIsRefusedNamingTheKnownOnes() {
        assertThatThrownBy(() -> parse("x-alice")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'x-alice' is none this provider knows").hasMessageContaining("h-<user>");
        assertThatThrownBy(() -> parse("k8s-/mnt/x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aProviderGeneratedIdThatWouldLeaveItsFolderIsRefused() {
        for (String id : List.of("h-..", "h-.", "h-", "h-alice/..", "h-a/b", "p-p1", "p-p1/a/b", "p-../x", "p-p1/..",
                "p-/repo", "p-p1/", "pm-p1", "pm-p1/bob/x", "pm-../bob", "pm-p1/..", "pm-p1/", "s-", "s-..", "s-1/2",
                "h-ali\u0000ce", "h-ali\nce", "p-p1/re\u0085po", "pm-p\u007f1/bob")) {
            assertThatThrownBy(() -> parse(id)).as(id).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> parse("h-a\nb")).hasMessageContaining("h-a\\u000Ab")
                .hasMessageContaining("control characters");
        assertThatThrownBy(() -> parse("p-p1/a/b")).hasMessageContaining("exactly one '/'");
    }

    @Test
    void memberFilesOfNamesThatAreNoFolderNamesAreRefused() {
        assertThatThrownBy(() -> DriveDescriptor.memberFilesOf("..", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DriveDescriptor.memberFilesOf("bob", Optional.of("a/b")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DriveDescriptor.memberFilesOf("", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCollectionWhoseDriveIdIsNoFolderNameIsRefused() {
        DriveDescriptor.LocalDrive collection = (DriveDescriptor.LocalDrive) parse(null);
        assertThatThrownBy(() -> collection.folder("..")).isInstanceOf(IllegalArgumentException.class);
    }
}
