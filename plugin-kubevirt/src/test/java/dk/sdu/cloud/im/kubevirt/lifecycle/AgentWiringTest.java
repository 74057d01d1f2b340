package dk.sdu.cloud.im.kubevirt.lifecycle;

import dk.sdu.cloud.im.kubevirt.KubeVirtComputeBackend;
import dk.sdu.cloud.im.kubevirt.admission.VmJobNames;
import dk.sdu.cloud.im.kubevirt.agent.FakeConnection;
import dk.sdu.cloud.im.kubevirt.cloudinit.AgentTokens;
import dk.sdu.cloud.im.kubevirt.cloudinit.AgentTokensReader;
import dk.sdu.cloud.im.kubevirt.manifest.VmJobObjectsFactory;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.socket.WebSocketRoute;
import io.fabric8.kubernetes.api.model.Secret;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent side of the backend as the host runs it: the bundle installed at open, the routes of
 * {@code agentEndpoint}, an agent of a started job welcomed with the tokens its Secret holds (also by a new
 * IM), and its session ended when the job is terminated.
 */
class AgentWiringTest extends BackendTestbed {

    @Test
    void withoutABundleTheBackendOpensAndServesTheAgentRoutes() {
        assertThat(fileSystem.resolve("ucloud-exe/vmagent")).doesNotExist();
        List<WebSocketRoute> routes = backend.webSocketRoutes();
        assertThat(routes).extracting(WebSocketRoute::port, WebSocketRoute::path).containsExactly(
                org.assertj.core.groups.Tuple.tuple(42000, "/api/vmagent"),
                org.assertj.core.groups.Tuple.tuple(42000, "/api/vmagent/tty"));
    }

    @Test
    void theBundleOfTheInstallationIsInstalledIntoUcloudExeAtOpen() throws IOException {
        Path bundle = Files.createDirectories(installation.resolve("guest/vm-agent/vmagent.d/lib"));
        Files.writeString(bundle.resolve("agent.jar"), "jar");
        Path launcher = installation.resolve("guest/vm-agent/vmagent");
        Files.writeString(launcher, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));

        openBackend();

        assertThat(Files.isExecutable(fileSystem.resolve("ucloud-exe/vmagent"))).isTrue();
        assertThat(Files.readString(fileSystem.resolve("ucloud-exe/vmagent"))).contains("/vmagent-");
    }

    @Test
    void theAgentOfAStartedJobIsWelcomedAlsoByANewImAndLeftWhenTheJobEnds() {
        Job job = job("w");
        backend.start(job);
        AgentTokens tokens = tokensOf(job);

        FakeConnection agent = hello(backend, job, tokens);
        await().until(() -> agent.types().contains("sshKeys"));
        assertThat(agent.last("welcome").path("serverToken").asString()).isEqualTo(tokens.serverToken());
        assertThat(agent.last("sshKeys").path("keys").get(0).asString()).isEqualTo(SSH_KEY);

        stop(backend);
        await().until(() -> agent.closeCode() != null);
        KubeVirtComputeBackend restarted = openBackend();
        FakeConnection again = hello(restarted, job, tokens);
        await().until(() -> again.types().contains("welcome"));

        restarted.terminate(job);
        assertThat(again.closeCode()).isEqualTo(1000);
    }

    private static FakeConnection hello(KubeVirtComputeBackend im, Job job, AgentTokens tokens) {
        FakeConnection agent = FakeConnection.connect(im.webSocketRoutes().get(0).handler(), "10.0.0.1:1234");
        agent.send("{\"type\": \"hello\", \"jobId\": \"" + job.id() + "\", \"token\": \"" + tokens.agentToken()
                + "\", \"agentVersion\": \"0.1.0\", \"startId\": \"s1\"}");
        return agent;
    }

    private AgentTokens tokensOf(Job job) {
        Secret secret = admin.secrets().inNamespace(namespace).withName(new VmJobNames(job.id()).cloudInitSecret())
                .get();
        String userData = new String(Base64.getDecoder().decode(secret.getData()
                .get(VmJobObjectsFactory.USER_DATA_KEY)), StandardCharsets.UTF_8);
        return new AgentTokensReader().read(userData).orElseThrow();
    }
}
