package dk.sdu.cloud.im.kubevirt.agent;

import dk.sdu.cloud.im.spi.socket.WebSocketHandler;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentEndpointUrlTest {
    private static final WebSocketHandler NOTHING = connection -> {
        throw new AssertionError("no connection in this test");
    };

    @Test
    void aConfiguredPortIsTheGuestsWhateverTheHostSays() {
        AgentEndpointUrl url = new AgentEndpointUrl("ws://ucloud-im:42000/api/vmagent");
        assertThat(url.hostPicksPort()).isFalse();
        assertThat(url.url()).isEqualTo("ws://ucloud-im:42000/api/vmagent");

        url.noting(NOTHING).listening(42000);
        assertThat(url.url()).isEqualTo("ws://ucloud-im:42000/api/vmagent");
    }

    @Test
    void withPortZeroTheGuestsGetThePortTheHostBoundAndNothingBefore() {
        AgentEndpointUrl url = new AgentEndpointUrl("ws://127.0.0.1:0/api/vmagent");
        assertThat(url.hostPicksPort()).isTrue();
        assertThatThrownBy(url::url).isInstanceOf(IllegalStateException.class)
                .hasMessage("the agent endpoint ws://127.0.0.1:0/api/vmagent (port 0: the host picks one) does not "
                        + "listen yet");
        assertThat(url.shown()).as("a preview's").isEqualTo("ws://127.0.0.1:0/api/vmagent");

        List<Integer> told = new ArrayList<>();
        WebSocketHandler noted = url.noting(new WebSocketHandler() {
            @Override
            public dk.sdu.cloud.im.spi.socket.WebSocketListener open(
                    dk.sdu.cloud.im.spi.socket.WebSocketConnection connection) {
                throw new AssertionError("no connection in this test");
            }

            @Override
            public void listening(int port) {
                told.add(port);
            }
        });
        noted.listening(40123);

        assertThat(url.url()).isEqualTo("ws://127.0.0.1:40123/api/vmagent");
        assertThat(url.shown()).isEqualTo("ws://127.0.0.1:40123/api/vmagent");
        assertThat(told).as("the endpoint's own handler is told too").containsExactly(40123);
    }

    @Test
    void theBoundPortReplacesOnlyThePortOfTheUrl() {
        AgentEndpointUrl url = new AgentEndpointUrl("wss://[::1]:0/agents%20here/");
        url.noting(NOTHING).listening(40123);

        assertThat(url.url()).isEqualTo("wss://[::1]:40123/agents%20here/");
    }
}
