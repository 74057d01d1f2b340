package dk.sdu.cloud.im.kubevirt.admission;

import dk.sdu.cloud.im.kubevirt.KubeVirtConfig;
import dk.sdu.cloud.im.kubevirt.testing.ExampleJobs;
import dk.sdu.cloud.im.kubevirt.testing.ExampleProvider;
import dk.sdu.cloud.im.spi.compute.JobRejectedException;
import dk.sdu.cloud.im.spi.host.ProviderFileSystem;
import dk.sdu.cloud.im.spi.host.SshSettings;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.job.JobOwner;
import dk.sdu.cloud.im.spi.job.NameAndVersion;
import dk.sdu.cloud.im.spi.job.ProductReference;
import dk.sdu.cloud.im.spi.job.SshMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class VmJobAdmissionTest {
    private static final String JOB_FOLDER = "home/alice#1234/Jobs/VirtualMachines/4242";

    private final ExampleProvider provider = ExampleProvider.load(ExampleProvider.HOSTPATH);

    private VmJobPlan admit(Job job) {
        return provider.admission().admit(job);
    }

    private VmJobPlan admit(Consumer<ExampleJobs.Edit> change) {
        return admit(ExampleJobs.vmJob(change));
    }

    private void assertRejected(Consumer<ExampleJobs.Edit> change, String... fragments) {
        assertRejected(provider, ExampleJobs.vmJob(change), fragments);
    }

    private static void assertRejected(ExampleProvider provider, Job job, String... fragments) {
        assertThatThrownBy(() -> provider.admission().admit(job))
                .isInstanceOf(JobRejectedException.class)
                .message().contains(fragments);
    }

    @Test
    void theExampleJobIsResolvedFromTheExampleConfig() {
        VmJobPlan plan = admit(ExampleJobs.vmJob());

        assertThat(plan.jobId()).isEqualTo("4242");
        assertThat(plan.names().virtualMachine()).isEqualTo("vm-4242-0");
        assertThat(plan.application()).isEqualTo(new NameAndVersion("debian-vm", "12"));
        assertThat(plan.cpu()).isEqualTo(4);
        assertThat(plan.memoryGiB()).isEqualTo(16);
        assertThat(plan.diskSizeGiB()).isEqualTo(60);
        assertThat(plan.imageUrl()).isEqualTo(URI.create(
                "https://images.example.org/debian-12-genericcloud-amd64.qcow2"));
        assertThat(plan.imageSha256()).isEmpty();
        assertThat(plan.hostname()).isEqualTo("j-4242");
        assertThat(plan.jobFolder()).isEqualTo(JOB_FOLDER);
        assertThat(plan.ssh()).contains(new SshAccess("10.0.0.10", "ssh.example.org", 2000, 2100));
        assertThat(plan.forwardedPorts()).isEmpty();
        assertThat(plan.mounts())
                .extracting(VmMount::kind, VmMount::suffix, VmMount::tag, VmMount::guestPath,
                        VmMount::relativeFolder, VmMount::readOnly)
                .containsExactly(
                        tuple(VmMount.Kind.UCLOUD, "opt", "ucloud-opt", "/opt/ucloud", "ucloud-exe", true),
                        tuple(VmMount.Kind.UCLOUD, "etc", "ucloud-etc", "/etc/ucloud", JOB_FOLDER + "/config", true),
                        tuple(VmMount.Kind.UCLOUD, "work", "ucloud-work", "/work", JOB_FOLDER + "/work", false),
                        tuple(VmMount.Kind.USER_FOLDER, "r0", "ucloud-r0", "/work/Data", "drives/17/Data", false),
                        tuple(VmMount.Kind.USER_FOLDER, "r1", "ucloud-r1", "/work/Reference", "drives/17/Reference",
                                true));
    }

    @Test
    void theCsiExampleConfigGivesTheSamePlan() {
        VmJobPlan csi = ExampleProvider.load(ExampleProvider.CSI).admission().admit(ExampleJobs.vmJob());
        assertThat(csi).isEqualTo(admit(ExampleJobs.vmJob()));
    }

    @Test
    void aProjectJobLivesInTheProjectsMemberFolder() {
        VmJobPlan plan = admit(job -> job.owner = new JobOwner("bob#1", "p-123"));
        assertThat(plan.jobFolder()).isEqualTo("projects/p-123/Members' Files/bob#1/Jobs/VirtualMachines/4242");
    }

    // --- rejections ------------------------------------------------------------------------------

    @Test
    void virtualMachinesDisabledInConfig() {
        ExampleProvider disabled = provider.withConfig(new KubeVirtConfig(false, false, "vm-golden-images",
                "ws://ucloud-im:42000/api/vmagent", 300));
        assertRejected(disabled, ExampleJobs.vmJob(), "Virtual machines are not enabled on this provider");
    }

    @Test
    void sensitiveProject() {
        assertRejected(job -> job.owner = new JobOwner("alice#1234", "7f1c0e1e-sensitive"),
                "not allowed in sensitive projects", "7f1c0e1e-sensitive");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 3})
    void replicasOtherThanOne(int replicas) {
        assertRejected(job -> job.replicas = replicas, "exactly 1 node, got " + replicas);
    }

    @Test
    void notAVirtualMachineApplication() {
        assertRejected(job -> job.backend = "DOCKER", "not a virtual machine", "DOCKER");
    }

    @Test
    void missingImage() {
        assertRejected(job -> job.image = null, "no disk image");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://images.example.org/x.qcow2", "file:///etc/passwd", "debian:12",
            "https:///no-host", "http://bad host/x"})
    void imageThatIsNotAnHttpUrl(String image) {
        assertRejected(job -> job.image = image, "must be an http:// or https:// URL", image);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/x.qcow2", "http://[::1]/x.qcow2",
            "http://169.254.169.254/latest/meta-data/", "https://10.0.0.5/x.qcow2", "http://192.168.1.1/x.qcow2",
            "http://172.16.0.1/x.qcow2", "http://100.64.0.1/x.qcow2", "http://[fd00::1]/x.qcow2",
            "http://[fe80::1]/x.qcow2", "http://[::ffff:127.0.0.1]/x.qcow2", "http://0.0.0.0/x.qcow2",
            "http://224.0.0.1/x.qcow2", "http://255.255.255.255/x.qcow2"})
    void imageAtANonPublicAddressLiteral(String image) {
        assertRejected(job -> job.image = image, "The application's disk image address is not allowed (");
    }

    @Test
    void imageAtANonPublicAddressIsRejectedWithItsKindAndWithoutOtherDetail() {
        assertThatThrownBy(() -> admit(job -> job.image = "http://169.254.169.254/latest/meta-data/"))
                .isInstanceOf(JobRejectedException.class)
                .hasMessage("The application's disk image address is not allowed (link-local): images are "
                        + "downloaded from public addresses only, unless the provider allows more.");
    }

    @Test
    void imageAtAnAddressThatTheConfigurationAllowsIsAdmitted() {
        ExampleProvider mirror = provider.withConfig(provider.config().withImageDownloads(
                new KubeVirtConfig.ImageDownloads(List.of("10.0.5.0/24"), List.of())));

        VmJobPlan plan = mirror.admission().admit(ExampleJobs.vmJob(job -> job.image = "http://10.0.5.7/x.qcow2"));

        assertThat(plan.imageUrl()).isEqualTo(URI.create("http://10.0.5.7/x.qcow2"));
        assertRejected(mirror, ExampleJobs.vmJob(job -> job.image = "http://10.0.6.7/x.qcow2"),
                "not allowed (private network)");
    }

    @Test
    void imageAtAHostNameIsLeftToTheDownloadWhichChecksItAfterDns() {
        assertThat(admit(job -> job.image = "http://localhost.example.org/x.qcow2").imageUrl())
                .isEqualTo(URI.create("http://localhost.example.org/x.qcow2"));
    }

    @Test
    void imageChecksumThatIsNotASha256() {
        assertRejected(job -> job.imageSha256 = "abc", "SHA-256", "'abc'");
    }

    @Test
    void imageChecksumIsKeptInLowercase() {
        String sha = "AB".repeat(32);
        assertThat(admit(job -> job.imageSha256 = sha).imageSha256()).contains("ab".repeat(32));
    }

    @Test
    void unknownProduct() {
        assertRejected(job -> job.product = new ProductReference("u1-standard-64", "u1-standard", "k8s"),
                "Unknown machine type 'u1-standard-64'");
    }

    @Test
    void productWhoseGroupDisallowsVirtualMachines() {
        assertRejected(job -> job.product = new ProductReference("u1-containers-2", "u1-containers", "k8s"),
                "'u1-containers-2'", "'u1-containers'", "does not allow virtual machines");
    }

    @ParameterizedTest
    @ValueSource(ints = {14, 0, -5, 2001, 100000})
    void diskSizeOutOfRange(int size) {
        assertRejected(job -> job.diskSize(size), "between 15 and 2000 GiB", "got " + size + " GiB");
    }

    @Test
    void diskSizeThatIsNotAWholeNumber() {
        assertRejected(job -> job.diskSize(60.5), "whole number of GiB between 15 and 2000 GiB", "60.5");
        assertRejected(job -> job.diskSize("60"), "whole number of GiB", "'60'");
        assertRejected(job -> job.diskSize(true), "whole number of GiB");
    }

    @Test
    void diskSizeAtTheLimitsAndByDefault() {
        assertThat(admit(job -> job.diskSize(15)).diskSizeGiB()).isEqualTo(15);
        assertThat(admit(job -> job.diskSize(2000)).diskSizeGiB()).isEqualTo(2000);
        assertThat(admit(job -> job.diskSize(60.0)).diskSizeGiB()).isEqualTo(60);
        assertThat(admit(job -> job.diskSize(2000L)).diskSizeGiB()).isEqualTo(2000);
        assertThat(admit(job -> job.parameters.remove("diskSize")).diskSizeGiB()).isEqualTo(50);
    }

    @Test
    void diskSizeIsOfferedAsADynamicParameter() {
        var parameter = VmDiskSize.dynamicParameter();
        assertThat(parameter.name()).isEqualTo("diskSize");
        assertThat(parameter.type()).isEqualTo("integer");
        assertThat(parameter.min()).isEqualTo(15L);
        assertThat(parameter.max()).isEqualTo(2000L);
        assertThat(parameter.step()).isEqualTo(1L);
        assertThat(parameter.unitName()).isEqualTo("GiB");
        assertThat(parameter.defaultValue()).isEqualTo(50);
        assertThat(parameter.optional()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/work", "/work/", "/work/data", "/etc/ucloud", "/etc/ucloud/x", "/opt/ucloud",
            "/opt/ucloud/bin", "/opt", "/etc", "/", "/etc/ucloud-agent"})
    void reservedMountPaths(String mountPath) {
        assertRejected(job -> job.folder("/17/Extra", mountPath, false),
                "The mount path '" + mountPath + "' is reserved", "/work");
    }

    @ParameterizedTest
    @ValueSource(strings = {"data", "/data/../etc", "/data//x", "/./data", "/data\nx"})
    void mountPathsThatAreNotNormalizedAbsolutePaths(String mountPath) {
        assertRejected(job -> job.folder("/17/Extra", mountPath, false), "must be an absolute path");
    }

    @Test
    void duplicateMountPaths() {
        assertRejected(job -> job.folder("/17/A", "/data", false).folder("/18/B", "/data/", true),
                "The mount path '/data' is used by more than one folder", "/17/A", "/18/B");
    }

    @Test
    void explicitMountPathsOutsideWorkAreKept() {
        VmJobPlan plan = admit(job -> job.folder("/18/Big", "/data/big/", true));
        assertThat(plan.mounts(VmMount.Kind.USER_FOLDER)).last()
                .extracting(VmMount::suffix, VmMount::guestPath, VmMount::relativeFolder, VmMount::readOnly)
                .containsExactly("r2", "/data/big", "drives/18/Big", true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ABC", "42_1", "-42", "42-", "4.2", "", "j\u00f8b"})
    void jobIdThatIsNotSafeInDnsLabels(String id) {
        assertRejected(job -> job.id = id, "The job id '" + id + "' cannot be used in Kubernetes names");
    }

    @Test
    void jobIdThatMakesANameLongerThan63Characters() {
        String longest = "a".repeat(47);  // vm-<47>-0-cloud-init is 63 characters
        assertThat(admit(job -> job.id = longest).names().cloudInitSecret()).hasSize(63);
        assertRejected(job -> job.id = longest + "b", "is too long", "vm-" + longest + "b-0-cloud-init");
    }

    @Test
    void dashesAreAllowedInJobIds() {
        assertThat(admit(job -> job.id = "a-1").names().virtualMachine()).isEqualTo("vm-a-1-0");
    }

    @Test
    void badUCloudPathOfAFolder() {
        assertRejected(job -> job.folder("/17/../../etc", null, false),
                "The folder '/17/../../etc' cannot be mounted", "invalid UCloud path");
        assertRejected(job -> job.folder("no-drive", null, false), "The folder 'no-drive' cannot be mounted");
    }

    @Test
    void folderWithoutUsableName() {
        ExampleProvider dotted = withFileSystem(provider.fileSystem()::jobFolder, path -> "drives/17/x");
        assertRejected(dotted, ExampleJobs.vmJob(job -> job.folder("/17/x/..", null, false)),
                "has no name that can be used");
    }

    @Test
    void invalidHostname() {
        assertRejected(job -> job.hostname = "My_Host", "The host name 'My_Host' is not valid");
        assertThat(admit(job -> job.hostname = "my-host").hostname()).isEqualTo("my-host");
    }

    @Test
    void forwardedPortsLabel() {
        assertThat(admit(job -> job.labels.put("ucloud.dk/service-forward-tcp", "[8080, 4, 443]"))
                .forwardedPorts()).containsExactly(443, 8080);
        assertRejected(job -> job.labels.put("ucloud.dk/service-forward-tcp", "80"),
                "must be a JSON array of at most 32 different TCP ports");
        assertRejected(job -> job.labels.put("ucloud.dk/service-forward-tcp", "[\"80\"]"),
                "must be a JSON array of at most 32 different TCP ports");
        assertRejected(job -> job.labels.put("ucloud.dk/service-forward-tcp", "[80, 1.5]"),
                "must be a JSON array of at most 32 different TCP ports");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 65536, 70000})
    void forwardedPortsOutsideTheTcpRange(int port) {
        assertRejected(job -> job.labels.put("ucloud.dk/service-forward-tcp", "[80, " + port + "]"),
                "TCP ports (1-65535), got '[80, " + port + "]'");
    }

    @Test
    void forwardedPortsListedTwice() {
        assertRejected(job -> job.labels.put("ucloud.dk/service-forward-tcp", "[8080, 443, 8080]"),
                "port 8080 is listed more than once");
    }

    @Test
    void atMost32ForwardedPorts() {
        String ports32 = java.util.stream.IntStream.rangeClosed(8001, 8032).mapToObj(Integer::toString)
                .collect(java.util.stream.Collectors.joining(",", "[", "]"));
        assertThat(admit(job -> job.labels.put("ucloud.dk/service-forward-tcp", ports32)).forwardedPorts())
                .hasSize(32);
        String allPorts = java.util.stream.IntStream.rangeClosed(1, 65535).mapToObj(Integer::toString)
                .collect(java.util.stream.Collectors.joining(",", "[", "]"));
        assertRejected(job -> job.labels.put("ucloud.dk/service-forward-tcp", allPorts), "it lists 65535");
        assertRejected(job -> job.labels.put("ucloud.dk/service-forward-tcp",
                ports32.replace("]", ",9000]")), "at most 32", "it lists 33");
    }

    // --- names and paths that end up in folders, volumes and logs -------------------------------

    @Test
    void aJobWithoutOwner() {
        assertRejected(job -> job.owner = null, "The job names no owner (owner.createdBy)");
        assertRejected(job -> job.owner = new JobOwner(null, null), "The job names no owner (owner.createdBy)");
        assertRejected(job -> job.owner = new JobOwner(" ", null), "The job names no owner (owner.createdBy)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "a/b", "alice\u0000", "alice\n"})
    void anOwnerTheFileSystemRefusesIsARejectionNotAFailure(String user) {
        ExampleProvider refusing = withFileSystem(job -> {
            String name = job.owner().createdBy();
            if (name.equals(".") || name.equals("..") || name.contains("/")
                    || name.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("owner.createdBy cannot be used as a folder name");
            }
            return provider.fileSystem().jobFolder(job);
        }, provider.fileSystem()::resolveUCloudPath);
        assertRejected(refusing, ExampleJobs.vmJob(job -> job.owner = new JobOwner(user, null)),
                "The job's folder cannot be made: owner.createdBy cannot be used as a folder name.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/abs/olute", "home/../../etc", "home//x", "home/al\nice/Jobs", ""})
    void aJobFolderThatBreaksTheFileSystemContractIsRefused(String folder) {
        ExampleProvider broken = withFileSystem(job -> folder, provider.fileSystem()::resolveUCloudPath);
        assertRejected(broken, ExampleJobs.vmJob(), "The job's folder cannot be made",
                "which is not a folder below its mount point");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0000", "\n", "\r", "\u001b", "\u007f", "\u0085", "\u009f"})
    void folderPathsWithControlCharacters(String control) {
        assertRejected(job -> job.folder("/17/Da" + control + "ta/sub", "/data", false),
                "cannot be mounted: its path has control characters",
                String.format("'/17/Da\\u%04Xta/sub'", (int) control.charAt(0)));
    }

    @Test
    void aFolderTheFileSystemMapsOutsideItsMountPointIsRefused() {
        ExampleProvider broken = withFileSystem(provider.fileSystem()::jobFolder, path -> "drives/17/../../../etc");
        assertRejected(broken, ExampleJobs.vmJob(), "The folder '/17/Data' cannot be mounted",
                "not a folder below its mount point");
    }

    @Test
    void aProductOfAnotherProvider() {
        assertRejected(job -> job.product = new ProductReference("u1-standard-4", "u1-standard", "elsewhere"),
                "The machine type 'u1-standard-4' belongs to provider 'elsewhere', not to this one ('k8s').");
        assertRejected(job -> job.product = new ProductReference("u1-standard-4", "u1-standard", null),
                "belongs to provider 'null'");
    }

    @Test
    void anApplicationWithoutNameOrVersion() {
        assertThat(admit(job -> job.application = null).application())
                .as("Core's resolved metadata stands in").isEqualTo(new NameAndVersion("debian-vm", "12"));
        assertRejected(job -> job.application = new NameAndVersion("debian-vm", " "),
                "must name its application's name and version");
        assertRejected(job -> job.application = new NameAndVersion("debian\nvm", "12"),
                "without control characters, got 'debian\\u000Avm' version '12'");
    }

    /** The example provider with a file system that maps jobs and UCloud paths as given. */
    private ExampleProvider withFileSystem(Function<Job, String> jobFolder, UnaryOperator<String> resolve) {
        ProviderFileSystem example = provider.fileSystem();
        ProviderFileSystem fileSystem = new ProviderFileSystem() {
            @Override
            public Path mountPoint() {
                return example.mountPoint();
            }

            @Override
            public Path trashStagingArea() {
                return example.trashStagingArea();
            }

            @Override
            public String jobFolder(Job job) {
                return jobFolder.apply(job);
            }

            @Override
            public String resolveUCloudPath(String ucloudPath) {
                return resolve.apply(ucloudPath);
            }
        };
        return new ExampleProvider(provider.config(), provider.settings(), provider.ssh(), provider.catalog(),
                provider.storage(), fileSystem, provider.namespace());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertRejected(job -> {
            job.replicas = 2;
            job.diskSize(5);
            job.folder("/17/X", "/work/x", false);
        }, "exactly 1 node", "between 15 and 2000 GiB", "The mount path '/work/x' is reserved");
    }

    // --- SSH -------------------------------------------------------------------------------------

    @Test
    void sshFollowsTheApplicationsModeAndTheUsersChoice() {
        assertThat(admit(job -> job.sshMode(SshMode.MANDATORY).sshEnabled = false).sshEnabled()).isTrue();
        assertThat(admit(job -> job.sshMode(SshMode.OPTIONAL).sshEnabled = true).sshEnabled()).isTrue();
        assertThat(admit(job -> job.sshMode(SshMode.OPTIONAL).sshEnabled = false).sshEnabled()).isFalse();
        assertThat(admit(job -> job.sshMode(SshMode.DISABLED).sshEnabled = true).sshEnabled()).isFalse();
        assertThat(admit(job -> job.sshMode(null).sshEnabled = false).sshEnabled())
                .as("virtual machines default to SSH when the application says nothing").isTrue();
    }

    @Test
    void noSshWhenTheProviderOffersNone() {
        ExampleProvider noSsh = provider.withSsh(SshSettings.disabled());
        assertThat(noSsh.admission().admit(ExampleJobs.vmJob(job -> job.sshMode(SshMode.MANDATORY)))
                .ssh()).isEmpty();
        ExampleProvider noIp = provider.withSsh(new SshSettings(true, null, "ssh.example.org", 2000, 2100));
        assertThat(noIp.admission().admit(ExampleJobs.vmJob()).ssh()).isEmpty();
    }

    @Test
    void sshUsesTheIpAddressWhenNoHostnameIsConfigured() {
        ExampleProvider ipOnly = provider.withSsh(new SshSettings(true, "10.0.0.10", null, 2000, 2100));
        assertThat(ipOnly.admission().admit(ExampleJobs.vmJob()).ssh())
                .contains(new SshAccess("10.0.0.10", "10.0.0.10", 2000, 2100));
    }

    // --- folder paths ----------------------------------------------------------------------------

    @Test
    void collidingFolderNamesGetNumberedByProviderPath() {
        Consumer<ExampleJobs.Edit> folders = job -> {
            job.resources.clear();
            job.folder("/3/Data-1", null, false).folder("/2/Data", null, false).folder("/1/Data", null, true);
        };
        VmJobPlan plan = admit(folders);
        assertThat(plan.mounts(VmMount.Kind.USER_FOLDER))
                .extracting(VmMount::suffix, VmMount::relativeFolder, VmMount::guestPath)
                .containsExactly(
                        tuple("r0", "drives/3/Data-1", "/work/Data-1-1"),
                        tuple("r1", "drives/2/Data", "/work/Data-1"),
                        tuple("r2", "drives/1/Data", "/work/Data"));

        VmJobPlan reordered = admit(job -> {
            job.resources.clear();
            job.folder("/1/Data", null, true).folder("/3/Data-1", null, false).folder("/2/Data", null, false);
        });
        assertThat(reordered.mounts(VmMount.Kind.USER_FOLDER))
                .extracting(VmMount::relativeFolder, VmMount::guestPath)
                .containsExactlyInAnyOrderElementsOf(plan.mounts(VmMount.Kind.USER_FOLDER).stream()
                        .map(m -> tuple(m.relativeFolder(), m.guestPath())).toList());
    }

    @Test
    void aDriveRootIsNamedAfterItsNumberAndTrailingSlashesDoNotMatter() {
        VmJobPlan plan = admit(job -> {
            job.resources.clear();
            job.folder("/17", null, false).folder("/18/Data/", null, false);
        });
        assertThat(plan.mounts(VmMount.Kind.USER_FOLDER)).extracting(VmMount::guestPath)
                .containsExactly("/work/17", "/work/Data");
    }

    @Test
    void otherResourcesAreNotMounted() {
        dk.sdu.cloud.im.kubevirt.testing.TestNetworks networks = new dk.sdu.cloud.im.kubevirt.testing.TestNetworks()
                .put(new dk.sdu.cloud.im.spi.network.PublicIp("ip-1",
                        new dk.sdu.cloud.im.spi.network.ResourceOwner("alice#1234", null), "192.0.2.10", "192.0.2.10",
                        List.of()));
        VmJobPlan plan = provider.admission(networks).admit(ExampleJobs.vmJob(job -> job.resources.add(
                new dk.sdu.cloud.im.spi.job.AppParameterValue("network", null, null, null, null, null, null, "ip-1",
                        null))));
        assertThat(plan.mounts(VmMount.Kind.USER_FOLDER)).hasSize(2);
    }

    @Test
    void thePlanIsImmutable() {
        VmJobPlan plan = admit(ExampleJobs.vmJob());
        List<VmMount> mounts = plan.mounts();
        assertThatThrownBy(() -> mounts.add(mounts.get(0))).isInstanceOf(UnsupportedOperationException.class);
    }
}
