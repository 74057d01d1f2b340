package dk.sdu.cloud.im.harness.sockets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UCloudRequestFrameTest {
    private static final String CALL = "jobs.provider.k8s.follow";

    @Test
    void aWellFormedFrameIsRead() {
        UCloudRequestFrame.Read read = UCloudRequestFrame.read(
                "{\"call\":\"" + CALL + "\",\"streamId\":\"7\",\"payload\":{\"type\":\"init\",\"x\":1}}", CALL, true);

        assertThat(read.problem()).isNull();
        assertThat(read.frame()).hasValueSatisfying(frame -> {
            assertThat(frame.streamId()).isEqualTo("7");
            assertThat(frame.type()).isEqualTo("init");
            assertThat(frame.payload().get("x").asInt()).isEqualTo(1);
        });
    }

    @Test
    void aFrameWithoutCallOrStreamIdIsReadWhereTheCallMayBeOmitted() {
        UCloudRequestFrame.Read read = UCloudRequestFrame.read("{\"payload\":{\"type\":\"input\"}}", CALL, false);

        assertThat(read.frame()).hasValueSatisfying(frame -> assertThat(frame.streamId()).isNull());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "not json                                                        | this one is not JSON",
            "{\"payload\":{\"type\":\"a\"}} {}                               | this one is not JSON",
            "[1]                                                             | a frame must be one JSON object",
            "{\"payload\":{\"type\":\"a\"}}                                  | 'call' must be 'jobs.provider.k8s.follow'",
            "{\"call\":null,\"payload\":{\"type\":\"a\"}}                    | 'call' must be 'jobs.provider.k8s.follow'",
            "{\"call\":\"other\",\"payload\":{\"type\":\"a\"}}               | 'call' must be 'jobs.provider.k8s.follow'",
            "{\"call\":\"jobs.provider.k8s.follow\",\"streamId\":1,\"payload\":{\"type\":\"a\"}} | 'streamId' must be a string",
            "{\"call\":\"jobs.provider.k8s.follow\",\"payload\":[]}          | 'payload' must be an object",
            "{\"call\":\"jobs.provider.k8s.follow\",\"payload\":{\"type\":3}} | 'payload.type' must be a string",
    })
    void eachMalformedFrameIsRefusedWithWhatIsWrong(String text, String why) {
        UCloudRequestFrame.Read read = UCloudRequestFrame.read(text, CALL, true);

        assertThat(read.frame()).isEmpty();
        assertThat(read.problem()).contains(why);
    }

    @Test
    void aWrongCallIsRefusedEvenWhereTheCallMayBeOmitted() {
        assertThat(UCloudRequestFrame.read("{\"call\":\"other\",\"payload\":{\"type\":\"a\"}}", CALL, false).problem())
                .isEqualTo("'call' must be '" + CALL + "'");
    }
}
