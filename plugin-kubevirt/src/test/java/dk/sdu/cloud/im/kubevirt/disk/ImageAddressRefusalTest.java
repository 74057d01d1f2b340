package dk.sdu.cloud.im.kubevirt.disk;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dk.sdu.cloud.im.kubevirt.disk.DiskPreparationPhase.FAILED;
import static dk.sdu.cloud.im.kubevirt.disk.DiskTestbed.IMAGE_PATH;
import static dk.sdu.cloud.im.kubevirt.disk.DiskTestbed.await;
import static dk.sdu.cloud.im.kubevirt.disk.DiskTestbed.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The image URL comes from users: images are fetched from public addresses only, after DNS and at every
 * redirect, unless the configuration allows a network; a refusal fetches nothing, makes no file and says
 * only why in a few words.
 */
class ImageAddressRefusalTest {
    @TempDir
    Path root;
    DiskTestbed bed;
    /** Host names of the tests, resolved without DNS; literals resolve to themselves. */
    final Map<String, List<String>> names = Map.of(
            "metadata.example.test", List.of("169.254.169.254"),
            "intranet.example.test", List.of("10.0.0.5"),
            "router.example.test", List.of("192.168.1.1"),
            "cgnat.example.test", List.of("100.64.0.1"),
            "ula.example.test", List.of("fd00::5"),
            "mapped.example.test", List.of("::ffff:127.0.0.1"),
            "mixed.example.test", List.of("93.184.216.34", "127.0.0.1"),
            "self.example.test", List.of("127.0.0.2"),
            "mirror.example.test", List.of("127.0.0.1"));
    final List<String> resolved = new ArrayList<>();
    final HostResolver resolver = host -> {
        resolved.add(host);
        var literal = IpNetwork.literal(host);
        if (literal.isPresent()) {
            return List.of(literal.get());
        }
        List<String> addresses = names.get(host);
        if (addresses == null) {
            throw new UnknownHostException(host);
        }
        List<InetAddress> result = new ArrayList<>();
        for (String address : addresses) {
            result.add(IpNetwork.literal(address).orElseThrow());
        }
        return result;
    };

    @BeforeEach
    void setUp() throws Exception {
        bed = new DiskTestbed(root);
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    private DiskPreparer strict() {
        return bed.preparer(bed.settings().withImageAddresses(ImageAddressPolicy.strict()), resolver);
    }

    private DiskPreparer allowingTheLoopbackMirror() {
        return bed.preparer(bed.settings(), resolver);
    }

    /** Fails with the reason, as the job's status shows it; no file anywhere, nothing fetched. */
    private String refused(DiskPreparer preparer, URI url) throws Exception {
        DiskPreparationRequest request = bed.request("1", url, null, 1);
        RecordingListener listener = new RecordingListener();
        String reason = failureOf(preparer.prepare(request, listener));
        assertThat(listener.last().phase()).isEqualTo(FAILED);
        assertThat(listener.last().message()).isEqualTo("Disk preparation failed: " + reason);
        assertThat(TestImages.names(request.jobFolder())).as("job folder").doesNotContain("disk.img");
        assertThat(TestImages.names(bed.cacheFolder)).as("image cache").isEmpty();
        return reason;
    }

    @ParameterizedTest
    @CsvSource({
            "http://127.0.0.1:{port}/images/ubuntu.qcow2, loopback",
            "http://[::1]:{port}/images/ubuntu.qcow2, loopback",
            "http://[::ffff:127.0.0.1]:{port}/images/ubuntu.qcow2, loopback",
            "http://169.254.169.254/latest/meta-data/, link-local",
            "http://[fe80::1]/x.qcow2, link-local",
            "http://10.0.0.5/x.qcow2, private network",
            "https://172.16.0.1/x.qcow2, private network",
            "http://192.168.1.1/x.qcow2, private network",
            "http://[fd00::5]/x.qcow2, private network",
            "http://100.64.0.1/x.qcow2, shared address space",
            "http://0.0.0.0:{port}/images/ubuntu.qcow2, unspecified address",
            "http://[::]:{port}/images/ubuntu.qcow2, unspecified address",
            "http://224.0.0.1/x.qcow2, multicast",
            "http://[ff02::1]/x.qcow2, multicast",
            "http://255.255.255.255/x.qcow2, broadcast",
            "http://metadata.example.test/latest/meta-data/, link-local",
            "http://intranet.example.test/x.qcow2, private network",
            "http://router.example.test/x.qcow2, private network",
            "http://cgnat.example.test/x.qcow2, shared address space",
            "http://ula.example.test/x.qcow2, private network",
            "http://mapped.example.test:{port}/images/ubuntu.qcow2, loopback",
            "http://mixed.example.test:{port}/images/ubuntu.qcow2, loopback"
    })
    void eachNonPublicAddressIsRefusedLiterallyAndByName(String url, String reason) throws Exception {
        URI image = URI.create(url.replace("{port}", String.valueOf(bed.server.url("/").getPort())));

        assertThat(refused(strict(), image)).isEqualTo("the image address is not allowed (" + reason + ")");
        assertThat(bed.server.requests(IMAGE_PATH)).isZero();
    }

    @Test
    void theSystemResolverIsCheckedToo() throws Exception {
        DiskPreparer preparer = bed.preparer(bed.settings().withImageAddresses(ImageAddressPolicy.strict()),
                DiskOwnership.qemu(), Clock.systemUTC());

        assertThat(refused(preparer, bed.server.url(IMAGE_PATH))).isEqualTo("the image address is not allowed "
                + "(loopback)");
        assertThat(bed.server.requests(IMAGE_PATH)).isZero();
    }

    @Test
    void theAllowListLetsALoopbackMirrorThrough() throws Exception {
        URI mirror = bed.server.url(IMAGE_PATH);
        assertThat(refused(strict(), mirror)).isEqualTo("the image address is not allowed (loopback)");

        PreparedDisk disk = await(allowingTheLoopbackMirror().prepare(bed.request("1", mirror, bed.imageSha256, 1),
                DiskPreparationListener.none()));

        assertThat(TestImages.read(disk.disk(), 0, DiskTestbed.IMAGE_BYTES)).isEqualTo(bed.content);
        assertThat(bed.server.requests(IMAGE_PATH)).isEqualTo(1);
    }

    @Test
    void aHostNameOfTheAllowedMirrorPassesTheCheck() throws Exception {
        // The check passes; the client then resolves the name itself, and the test's name is not in DNS.
        URI byName = URI.create("http://mirror.example.test:" + bed.server.url("/").getPort() + IMAGE_PATH);

        String reason = refused(allowingTheLoopbackMirror(), byName);

        assertThat(reason).isEqualTo("the image could not be downloaded (connection failed)");
        assertThat(resolved).containsExactly("mirror.example.test");
    }

    @Test
    void theAllowListIsExactAboutItsNetwork() throws Exception {
        URI otherLoopback = URI.create("http://self.example.test:" + bed.server.url("/").getPort() + IMAGE_PATH);

        assertThat(refused(allowingTheLoopbackMirror(), otherLoopback))
                .isEqualTo("the image address is not allowed (loopback)");
    }

    @Test
    void aRedirectFromAnAllowedAddressToAForbiddenOneIsRefusedBeforeItIsFollowed() throws Exception {
        bed.server.redirect("/latest.qcow2", "http://169.254.169.254/latest/meta-data/iam/credentials");

        String reason = refused(allowingTheLoopbackMirror(), bed.server.url("/latest.qcow2"));

        assertThat(reason).isEqualTo("the image address is not allowed (link-local)");
        assertThat(bed.server.requests("/latest.qcow2")).isEqualTo(1);
        assertThat(resolved).containsExactly("127.0.0.1", "169.254.169.254");
    }

    @Test
    void aRedirectToAHostNameIsCheckedAfterResolvingIt() throws Exception {
        bed.server.redirect("/latest.qcow2", "http://self.example.test:" + bed.server.url("/").getPort()
                + IMAGE_PATH);

        String reason = refused(allowingTheLoopbackMirror(), bed.server.url("/latest.qcow2"));

        assertThat(reason).isEqualTo("the image address is not allowed (loopback)");
        assertThat(bed.server.requests(IMAGE_PATH)).isZero();
    }

    @Test
    void aRedirectWithinTheAllowedMirrorIsFollowed() throws Exception {
        bed.server.redirect("/latest.qcow2", "/images/ubuntu.qcow2");

        PreparedDisk disk = await(allowingTheLoopbackMirror().prepare(
                bed.request("1", bed.server.url("/latest.qcow2"), bed.imageSha256, 1), DiskPreparationListener.none()));

        assertThat(disk.disk()).exists();
        assertThat(resolved).containsExactly("127.0.0.1", "127.0.0.1");
    }

    @Test
    void aRedirectToAnotherSchemeIsRefused() throws Exception {
        bed.server.redirect("/latest.qcow2", "file:///etc/passwd");

        assertThat(refused(allowingTheLoopbackMirror(), bed.server.url("/latest.qcow2")))
                .isEqualTo("the image address is not allowed (not an http or https address)");
    }

    @Test
    void aRedirectLoopEndsAfterTheHopLimit() throws Exception {
        bed.server.redirect("/a.qcow2", "/b.qcow2").redirect("/b.qcow2", "/a.qcow2");

        String reason = refused(allowingTheLoopbackMirror(), bed.server.url("/a.qcow2"));

        assertThat(reason).isEqualTo("the image could not be downloaded (too many redirects)");
        assertThat(bed.server.requests("/a.qcow2") + bed.server.requests("/b.qcow2"))
                .isEqualTo(ImageDownloader.MAX_REDIRECTS + 1);
    }

    @Test
    void aFailedFetchTellsNeitherStatusNorSizeNorRedirectTarget() throws Exception {
        bed.server.redirect("/latest.qcow2", "/images/gone.qcow2");
        bed.server.failNext("/images/gone.qcow2", 503, 1);

        String reason = refused(allowingTheLoopbackMirror(), bed.server.url("/latest.qcow2"));

        assertThat(reason).isEqualTo("the image could not be downloaded (HTTP error)")
                .doesNotContain("503").doesNotContain("gone");
    }

    @Test
    void anUnknownHostIsAShortReason() throws Exception {
        assertThat(refused(strict(), URI.create("http://nowhere.example.test/x.qcow2")))
                .isEqualTo("the image could not be downloaded (unknown host)");
    }

    @Test
    void aClientThatFollowsRedirectsItselfIsNotAccepted() {
        HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

        assertThatThrownBy(() -> new DiskPreparer(bed.settings(), QemuImg.onPath(), following, DiskOwnership.qemu(),
                Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not follow redirects");
    }
}
