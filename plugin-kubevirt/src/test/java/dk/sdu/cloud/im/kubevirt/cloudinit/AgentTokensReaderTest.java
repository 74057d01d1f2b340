package dk.sdu.cloud.im.kubevirt.cloudinit;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AgentTokensReaderTest {

    final AgentTokensReader reader = new AgentTokensReader();

    @Test
    void readsBackTheTokensTheRendererWrote() {
        AgentTokens tokens = new AgentTokens("agent-'\"\n: x", "server-#{}[]");
        CloudInitDocuments documents = new CloudInitRenderer().render(new CloudInitRequest("42", "j-42",
                "ws://im:42000/agent", tokens, List.of("ssh-ed25519 AAAA alice"), List.of()));

        assertThat(reader.read(documents.userData())).contains(tokens);
    }

    @Test
    void userDataWithoutTheAgentsFileOrNotYamlHasNoTokens() {
        assertThat(reader.read("#cloud-config\nusers: []\n")).isEmpty();
        assertThat(reader.read("#cloud-config\nwrite_files:\n- path: /etc/motd\n  content: hi\n")).isEmpty();
        assertThat(reader.read("#cloud-config\nwrite_files:\n- path: /etc/ucloud-agent/agent.json\n  content: '{}'\n"))
                .isEmpty();
        assertThat(reader.read(": : [ not yaml")).isEmpty();
    }
}
