package dk.sdu.cloud.im.kubevirt.cloudinit;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CloudInitRendererTest {
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final CloudInitRenderer renderer = new CloudInitRenderer();

    /** The single YAML document of a text; fails when the text holds more than one. */
    static JsonNode singleDocument(String text) {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
            it.forEachRemaining(documents::add);
        }
        assertThat(documents).as("YAML documents in%n%s", text).hasSize(1);
        return documents.get(0);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> {
            assertThat(node.isString()).as("%s is a string", node).isTrue();
            values.add(node.asString());
        });
        return values;
    }

    private static JsonNode fileAt(JsonNode userData, String path) {
        for (JsonNode file : userData.path("write_files")) {
            if (file.path("path").asString().equals(path)) {
                return file;
            }
        }
        throw new AssertionError("no write_files entry for " + path);
    }

    @Test
    void userDataStartsWithTheCloudConfigHeader() {
        String userData = renderer.render(CloudInitFixtures.ordinary()).userData();
        assertThat(userData).startsWith("#cloud-config\n");
        assertThat(userData.lines().skip(1)).noneMatch(line -> line.equals("---"));
    }

    @Test
    void theUserIsUcloudWithPasswordlessSudoAsOneString() {
        JsonNode doc = singleDocument(renderer.render(CloudInitFixtures.ordinary()).userData());

        assertThat(doc.path("disable_root").asBoolean()).isTrue();
        assertThat(doc.path("ssh_pwauth").isBoolean()).isTrue();
        assertThat(doc.path("ssh_pwauth").asBoolean()).isFalse();
        assertThat(doc.path("users")).hasSize(1);
        JsonNode user = doc.path("users").get(0);
        assertThat(user.path("name").asString()).isEqualTo("ucloud");
        assertThat(user.path("uid").isInt()).isTrue();
        assertThat(user.path("uid").asInt()).isEqualTo(11042);
        assertThat(user.path("lock_passwd").asBoolean()).isTrue();
        assertThat(user.path("shell").asString()).isEqualTo("/bin/bash");
        assertThat(user.path("sudo").isString()).as("sudo must be a single string for cloud-init 22.4").isTrue();
        assertThat(user.path("sudo").asString()).isEqualTo("ALL=(ALL) NOPASSWD:ALL");
        assertThat(strings(user.path("ssh_authorized_keys")))
                .containsExactly("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample alice@laptop");
    }

    @Test
    void noAuthorizedKeysMeansNoKeyList() {
        CloudInitRequest ordinary = CloudInitFixtures.ordinary();
        CloudInitRequest noKeys = new CloudInitRequest(ordinary.jobId(), ordinary.hostname(),
                ordinary.agentEndpoint(), ordinary.tokens(), List.of(), ordinary.ucloudMounts());
        JsonNode user = singleDocument(renderer.render(noKeys).userData()).path("users").get(0);
        assertThat(user.has("ssh_authorized_keys")).isFalse();
    }

    @Test
    void theAgentConfigIsDeferredAndReadableOnlyByTheAgentsUser() {
        JsonNode doc = singleDocument(renderer.render(CloudInitFixtures.ordinary()).userData());
        JsonNode file = fileAt(doc, "/etc/ucloud-agent/agent.json");

        assertThat(file.path("owner").asString()).isEqualTo("ucloud:ucloud");
        assertThat(file.path("permissions").asString()).isEqualTo("0600");
        assertThat(file.path("defer").asBoolean())
                .as("written after users exist, else cloud-init cannot chown it to ucloud").isTrue();
        JsonNode agent = JSON.readTree(file.path("content").asString());
        assertThat(agent.path("endpoint").asString()).isEqualTo("ws://ucloud-im:42000/api/vmagent");
        assertThat(agent.path("jobId").asString()).isEqualTo("4242");
        assertThat(agent.path("agentToken").asString()).isEqualTo("agent-token-1");
        assertThat(agent.path("serverToken").asString()).isEqualTo("server-token-1");
        assertThat(agent.path("mountsFile").asString()).isEqualTo("/etc/ucloud/mounts.yml");
    }

    @Test
    void theMountsAndTheServicesPathUnitsAreEnabledByRuncmd() {
        JsonNode doc = singleDocument(renderer.render(CloudInitFixtures.ordinary()).userData());

        assertThat(doc.path("write_files")).extracting(f -> f.path("path").asString()).containsExactly(
                "/etc/systemd/system/opt-ucloud.mount",
                "/etc/systemd/system/etc-ucloud.mount",
                "/etc/systemd/system/work.mount",
                "/etc/systemd/system/ucloud-vmagent.service",
                "/etc/systemd/system/ucloud-metrics.service",
                "/etc/systemd/system/ucloud-vmagent.path",
                "/etc/systemd/system/ucloud-metrics.path",
                "/etc/ucloud-agent/agent.json");
        JsonNode agentUnit = fileAt(doc, "/etc/systemd/system/ucloud-vmagent.service");
        assertThat(agentUnit.path("owner").asString()).isEqualTo("root:root");
        assertThat(agentUnit.path("permissions").asString()).isEqualTo("0644");
        assertThat(agentUnit.has("defer")).isFalse();
        assertThat(agentUnit.path("content").asString())
                .contains("[Service]\n", "ExecStart=/opt/ucloud/vmagent\n", "User=ucloud\n", "Restart=always\n",
                        "RequiresMountsFor=/opt/ucloud /etc/ucloud /work\n", "WantedBy=multi-user.target\n");
        assertThat(fileAt(doc, "/etc/systemd/system/ucloud-metrics.service").path("content").asString())
                .contains("ExecStart=/opt/ucloud/vmagent metrics\n", "User=ucloud\n", "Restart=always\n",
                        "RequiresMountsFor=/opt/ucloud /etc/ucloud /work\n");
        assertThat(fileAt(doc, "/etc/systemd/system/ucloud-vmagent.path").path("content").asString())
                .contains("[Path]\n", "PathExists=/opt/ucloud/vmagent\n", "Unit=ucloud-vmagent.service\n",
                        "RequiresMountsFor=/opt/ucloud\n", "WantedBy=multi-user.target\n");
        assertThat(fileAt(doc, "/etc/systemd/system/ucloud-metrics.path").path("content").asString())
                .contains("PathExists=/opt/ucloud/vmagent\n", "Unit=ucloud-metrics.service\n");
        assertThat(fileAt(doc, "/etc/systemd/system/opt-ucloud.mount").path("content").asString())
                .contains("What=ucloud-opt\n", "Where=/opt/ucloud\n", "Type=virtiofs\n", "Options=ro\n");
        assertThat(fileAt(doc, "/etc/systemd/system/etc-ucloud.mount").path("content").asString())
                .contains("What=ucloud-etc\n", "Options=ro\n");
        assertThat(fileAt(doc, "/etc/systemd/system/work.mount").path("content").asString())
                .contains("What=ucloud-work\n", "Where=/work\n", "Options=rw\n");
        assertThat(doc.has("mounts")).as("cloud-init drops virtiofs entries of its mounts key").isFalse();

        List<List<String>> commands = new ArrayList<>();
        doc.path("runcmd").forEach(command -> commands.add(strings(command)));
        assertThat(commands).containsExactly(
                List.of("groupmod", "-g", "11042", "ucloud"),
                List.of("usermod", "-u", "11042", "-g", "11042", "ucloud"),
                List.of("chown", "-R", "ucloud:ucloud", "/etc/ucloud-agent"),
                List.of("systemctl", "daemon-reload"),
                List.of("systemctl", "enable", "--now", "opt-ucloud.mount", "etc-ucloud.mount", "work.mount"),
                List.of("systemctl", "enable", "--now", "ucloud-vmagent.path", "ucloud-metrics.path"));
    }

    @Test
    void networkDataMatchesEveryEnInterfaceWithDhcp() {
        JsonNode network = singleDocument(renderer.render(CloudInitFixtures.ordinary()).networkData());
        assertThat(network).isEqualTo(JSON.readTree("""
                {"version": 2, "ethernets": {"default": {"match": {"name": "en*"}, "dhcp4": true, "dhcp6": true}}}
                """));
    }

    @Test
    void hostileInputCannotChangeTheDocumentsStructure() {
        CloudInitRequest hostile = CloudInitFixtures.hostile();
        CloudInitDocuments documents = renderer.render(hostile);
        JsonNode doc = singleDocument(documents.userData());
        JsonNode ordinary = singleDocument(renderer.render(CloudInitFixtures.ordinary()).userData());

        assertThat(documents.userData()).startsWith("#cloud-config\n");
        assertThat(doc.propertyNames()).containsExactlyElementsOf(ordinary.propertyNames());
        assertThat(doc.path("hostname").asString()).isEqualTo(hostile.hostname());
        assertThat(doc.path("users")).hasSize(1);
        JsonNode user = doc.path("users").get(0);
        assertThat(user.propertyNames()).containsExactlyElementsOf(ordinary.path("users").get(0).propertyNames());
        assertThat(strings(user.path("ssh_authorized_keys"))).containsExactlyElementsOf(hostile.authorizedKeys());
        assertThat(doc.path("runcmd")).isEqualTo(ordinary.path("runcmd"));
        assertThat(doc.path("write_files")).extracting(f -> f.path("path").asString())
                .containsExactlyElementsOf(ordinary.path("write_files").valueStream()
                        .map(f -> f.path("path").asString()).toList());

        JsonNode agent = JSON.readTree(fileAt(doc, "/etc/ucloud-agent/agent.json").path("content").asString());
        assertThat(agent.path("endpoint").asString()).isEqualTo(hostile.agentEndpoint());
        assertThat(agent.path("jobId").asString()).isEqualTo(hostile.jobId());
        assertThat(agent.path("agentToken").asString()).isEqualTo(hostile.tokens().agentToken());
        assertThat(agent.path("serverToken").asString()).isEqualTo(hostile.tokens().serverToken());
    }

    @Test
    void eachHostileStringSurvivesAsItself() {
        for (String hostile : CloudInitFixtures.HOSTILE) {
            CloudInitRequest ordinary = CloudInitFixtures.ordinary();
            CloudInitRequest request = new CloudInitRequest(ordinary.jobId(), hostile, ordinary.agentEndpoint(),
                    ordinary.tokens(), List.of(hostile), ordinary.ucloudMounts());
            JsonNode doc = singleDocument(renderer.render(request).userData());
            assertThat(doc.path("hostname").isString()).as("hostname %s", hostile).isTrue();
            assertThat(doc.path("hostname").asString()).isEqualTo(hostile);
            assertThat(strings(doc.path("users").get(0).path("ssh_authorized_keys"))).containsExactly(hostile);
        }
    }

    @Test
    void theSameRequestGivesTheSameDocuments() {
        assertThat(renderer.render(CloudInitFixtures.hostile()))
                .isEqualTo(new CloudInitRenderer().render(CloudInitFixtures.hostile()));
    }

    @Test
    void tokensStayOutOfToString() {
        CloudInitRequest request = CloudInitFixtures.ordinary();
        assertThat(request.tokens().toString()).doesNotContain("agent-token-1", "server-token-1");
        assertThat(renderer.render(request).toString()).doesNotContain("agent-token-1");
    }
}
