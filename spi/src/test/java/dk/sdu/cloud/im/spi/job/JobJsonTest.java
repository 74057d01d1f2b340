package dk.sdu.cloud.im.spi.job;

import dk.sdu.cloud.im.testdata.TestData;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class JobJsonTest {
    private final JsonMapper mapper = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    @Test
    void theExampleJobDeserializes() throws Exception {
        Job job = mapper.readValue(TestData.read(TestData.VM_JOB), Job.class);

        assertThat(job.id()).isEqualTo("4242");
        assertThat(job.owner().createdBy()).isEqualTo("alice#1234");
        assertThat(job.owner().projectId()).isEmpty();
        assertThat(job.specification().product().id()).isEqualTo("u1-standard-4");
        assertThat(job.specification().replicas()).isEqualTo(1);
        assertThat(job.specification().parameters().get("diskSize").value()).isEqualTo(60);
        assertThat(job.specification().resources()).extracting(AppParameterValue::path)
                .containsExactly("/17/Data", "/17/Reference");
        assertThat(job.specification().resources().get(1).readOnlyOrFalse()).isTrue();
        assertThat(job.specification().sshEnabled()).isTrue();
        assertThat(job.status().state()).isEqualTo(JobState.IN_QUEUE);
        assertThat(job.toolBackend()).contains(ToolDescription.VIRTUAL_MACHINE);
        assertThat(job.toolDescription().orElseThrow().image()).endsWith(".qcow2");
        assertThat(job.status().resolvedApplication().invocation().ssh().mode()).isEqualTo(SshMode.OPTIONAL);
    }

    @Test
    void unknownFieldsFromNewerCoresAreIgnored() {
        Job job = mapper.readValue("{\"id\":\"1\",\"createdAt\":1,\"somethingNew\":{\"x\":1},"
                + "\"specification\":{\"replicas\":1,\"futureField\":true}}", Job.class);
        assertThat(job.id()).isEqualTo("1");
        assertThat(job.specification().resources()).isEmpty();
        assertThat(job.specification().labels()).isEmpty();
        assertThat(job.updates()).isEmpty();
    }

    @Test
    void aJobSurvivesARoundTrip() throws Exception {
        Job job = mapper.readValue(TestData.read(TestData.VM_JOB), Job.class);
        Job again = mapper.readValue(mapper.writeValueAsString(job), Job.class);
        assertThat(again).isEqualTo(job);
    }
}
