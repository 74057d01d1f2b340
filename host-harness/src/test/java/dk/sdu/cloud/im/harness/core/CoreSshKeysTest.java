package dk.sdu.cloud.im.harness.core;

import dk.sdu.cloud.im.spi.host.SshKeyDirectory;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@link CoreSshKeys} and {@link CoreSshKeyDirectory} over a scripted transport. */
class CoreSshKeysTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Answers POSTs from a list, recording the bodies. */
    private static final class PagedTransport implements CoreTransport {
        final List<Object> bodies = new ArrayList<>();
        private final List<String> answers;

        PagedTransport(String... answers) {
            this.answers = new ArrayList<>(List.of(answers));
        }

        @Override
        public JsonNode post(String path, Object body) {
            bodies.add(body);
            return JSON.readTree(answers.size() > 1 ? answers.remove(0) : answers.get(0));
        }

        @Override
        public JsonNode get(String path, Map<String, String> query) {
            throw new UnsupportedOperationException();
        }
    }

    private static String page(String next, String... keys) {
        StringBuilder items = new StringBuilder();
        for (String key : keys) {
            items.append(items.isEmpty() ? "" : ",").append("{\"id\":\"1\",\"owner\":\"alice\",\"createdAt\":0,")
                    .append("\"fingerprint\":\"\",\"specification\":{\"title\":\"t\",\"key\":\"").append(key).append("\"}}");
        }
        return "{\"items\":[" + items + "],\"next\":" + (next == null ? "null" : "\"" + next + "\"")
                + ",\"itemsPerPage\":2}";
    }

    @Test
    void pagesAreFollowedUntilNextIsNull() throws CoreCallException {
        PagedTransport transport = new PagedTransport(page("p2", "ssh-ed25519 A a", "ssh-ed25519 B b"),
                page(null, "ssh-rsa C c"));

        assertThat(new CoreSshKeys(transport).ownerKeys("j-1"))
                .containsExactly("ssh-ed25519 A a", "ssh-ed25519 B b", "ssh-rsa C c");
        assertThat(transport.bodies).containsExactly(Map.of("jobId", "j-1", "owner", true),
                Map.of("jobId", "j-1", "owner", true, "next", "p2"));
    }

    @Test
    void aPageRepeatedOrAnAnswerWithoutItemsIsAnError() {
        CoreCallException repeated = catchThrowableOfType(CoreCallException.class,
                () -> new CoreSshKeys(new PagedTransport(page("p2", "k"))).ownerKeys("j-1"));
        assertThat(repeated.why()).contains("'p2' twice");
        CoreCallException noItems = catchThrowableOfType(CoreCallException.class,
                () -> new CoreSshKeys(new PagedTransport("{}")).ownerKeys("j-1"));
        assertThat(noItems.why()).contains("not a page of SSH keys");
    }

    @Test
    void aCoreThatCannotBeAskedFailsTheLookupInsteadOfAnsweringNoKeys() {
        CoreTransport down = new CoreTransport() {
            @Override
            public JsonNode post(String path, Object body) throws CoreCallException {
                throw new CoreCallException("POST " + path, 0, "connection refused");
            }

            @Override
            public JsonNode get(String path, Map<String, String> query) {
                throw new UnsupportedOperationException();
            }
        };

        SshKeysUnavailableException e = catchThrowableOfType(SshKeysUnavailableException.class,
                () -> new CoreSshKeyDirectory(new CoreSshKeys(down)).authorizedKeys("j-1"));

        assertThat(e.getMessage()).contains("job j-1").contains("connection refused");
        assertThat(e.getCause()).isInstanceOf(CoreCallException.class);
    }

    @Test
    void changesAreToldByTheGivenSourceOnly() throws Exception {
        List<Consumer<String>> watching = new ArrayList<>();
        SshKeyDirectory source = new SshKeyDirectory() {
            @Override
            public List<String> authorizedKeys(String jobId) {
                return List.of();
            }

            @Override
            public AutoCloseable watch(Consumer<String> listener) {
                watching.add(listener);
                return () -> watching.remove(listener);
            }
        };
        CoreSshKeys keys = new CoreSshKeys(new PagedTransport(page(null)));
        List<String> told = new ArrayList<>();

        AutoCloseable watch = new CoreSshKeyDirectory(keys, Optional.of(source)).watch(told::add);
        watching.forEach(listener -> listener.accept("j-3"));
        watch.close();

        assertThat(told).containsExactly("j-3");
        assertThat(watching).isEmpty();
        new CoreSshKeyDirectory(keys).watch(told::add).close();
    }
}
