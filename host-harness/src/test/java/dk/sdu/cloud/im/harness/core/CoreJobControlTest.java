package dk.sdu.cloud.im.harness.core;

import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.spi.job.JobUpdate;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The job control calls' wire shapes, against a transport that records what it is given. */
class CoreJobControlTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Records each POST's body as Core would read it and answers what {@code answer} makes of it. */
    private static final class RecordingTransport implements CoreTransport {
        final List<String> paths = new ArrayList<>();
        final List<JsonNode> bodies = new ArrayList<>();
        private final Function<JsonNode, JsonNode> answer;

        RecordingTransport(Function<JsonNode, JsonNode> answer) {
            this.answer = answer;
        }

        @Override
        public JsonNode post(String path, Object body) {
            JsonNode node = JSON.readTree(JSON.writeValueAsString(body)); // as Core reads it off the wire
            paths.add(path);
            bodies.add(node);
            return answer.apply(node);
        }

        @Override
        public JsonNode get(String path, Map<String, String> query) {
            throw new AssertionError("no GET expected");
        }
    }

    private static JsonNode tree(String json) {
        return JSON.readTree(json);
    }

    @Test
    void anUpdateIsSentAsCoresBulkRequestWithEveryFieldOfItsJobUpdate() throws Exception {
        RecordingTransport transport = new RecordingTransport(body -> tree("{}"));

        new CoreJobControl(transport).update(List.of(
                new CoreJobControl.Item("17", JobUpdate.state(JobState.RUNNING, "Your job is now running.", 1234)),
                new CoreJobControl.Item("18", JobUpdate.message("still booting", 99))));

        assertThat(transport.paths).containsExactly("/api/jobs/control/update");
        assertThat(transport.bodies.get(0)).isEqualTo(tree("""
                {"items": [
                  {"id": "17", "update": {"state": "RUNNING", "status": "Your job is now running.",
                   "outputFolder": null, "expectedState": null, "expectedDifferentState": null,
                   "newTimeAllocation": null, "allowRestart": null, "resourceList": null, "timestamp": 1234}},
                  {"id": "18", "update": {"state": null, "status": "still booting",
                   "outputFolder": null, "expectedState": null, "expectedDifferentState": null,
                   "newTimeAllocation": null, "allowRestart": null, "resourceList": null, "timestamp": 99}}
                ]}"""));
    }

    @Test
    void nothingIsCalledForNoUpdatesOrNoJobs() throws Exception {
        RecordingTransport transport = new RecordingTransport(body -> tree("{}"));
        CoreJobControl control = new CoreJobControl(transport);

        control.update(List.of());
        assertThat(control.jobsExist(List.of())).isEmpty();
        assertThat(transport.paths).isEmpty();
    }

    @Test
    void existenceIsAskedAThousandJobsAtATimeAndAnsweredInOrder() throws Exception {
        // Core's answer: a job exists when its id is even.
        RecordingTransport transport = new RecordingTransport(body -> {
            StringBuilder answer = new StringBuilder("{\"responses\":[");
            for (JsonNode item : body.get("items")) {
                answer.append(Integer.parseInt(item.get("id").asString()) % 2 == 0).append(',');
            }
            answer.setLength(answer.length() - 1);
            return tree(answer.append("]}").toString());
        });
        List<String> ids = IntStream.range(0, 2500).mapToObj(Integer::toString).toList();

        List<Boolean> exist = new CoreJobControl(transport).jobsExist(ids);

        assertThat(transport.paths).containsOnly("/api/providers/resources/checkExistence").hasSize(3);
        assertThat(transport.bodies).extracting(body -> body.get("items").size()).containsExactly(1000, 1000, 500);
        assertThat(transport.bodies.get(0).get("items").get(3)).isEqualTo(tree("{\"type\":\"job\",\"id\":\"3\"}"));
        assertThat(exist).hasSize(2500);
        assertThat(IntStream.range(0, 2500).allMatch(i -> exist.get(i) == (i % 2 == 0))).isTrue();
    }

    @Test
    void anExistenceAnswerThatIsNotOneBooleanPerJobIsAFailedCall() {
        for (String answer : List.of("{\"responses\":[true]}", "{}", "{\"responses\":[true,\"yes\"]}", "null")) {
            CoreJobControl control = new CoreJobControl(new RecordingTransport(body -> tree(answer)));
            assertThatThrownBy(() -> control.jobsExist(List.of("a", "b"))).as(answer)
                    .isInstanceOf(CoreCallException.class)
                    .hasMessageStartingWith("POST /api/providers/resources/checkExistence answered 200: ");
        }
    }
}
