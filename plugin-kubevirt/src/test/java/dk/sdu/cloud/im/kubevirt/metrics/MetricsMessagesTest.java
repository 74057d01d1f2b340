package dk.sdu.cloud.im.kubevirt.metrics;

import dk.sdu.cloud.im.spi.compute.FollowMessage;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The messages in UCloud's shapes: ucviz line-chart packets, rows, reset, kv. */
class MetricsMessagesTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void chartsAreUcvizLineChartPackets() {
        double[] values = new double[64];
        values[MetricsFileFormat.COLUMN_CPU_LIMIT_PERCENT] = 400;
        values[MetricsFileFormat.COLUMN_MEMORY_TOTAL] = 8e9;
        List<FollowMessage> charts = MetricsMessages.charts(2, Optional.of(new Sample(1, values)));
        assertThat(charts).extracting(FollowMessage::channel).containsOnly("ui");
        assertThat(charts).extracting(FollowMessage::rank).containsOnly(2);
        assertThat(charts).hasSize(5);

        String[] lines = charts.get(0).stdout().split("\n");
        assertThat(charts.get(0).stdout()).endsWith("\n");
        assertThat(lines).hasSize(3);
        assertThat(JSON.readTree(lines[0]).get("action").asInt()).isZero();
        JsonNode widget = JSON.readTree(lines[1]);
        assertThat(widget.get("id").asString()).isEqualTo("cpu");
        assertThat(widget.get("type").asInt()).isEqualTo(6);
        assertThat(widget.get("location").get("tab").asString()).isEqualTo("CPU utilization");
        assertThat(widget.get("location").get("icon").asInt()).isEqualTo(2);
        JsonNode chart = JSON.readTree(lines[2]);
        assertThat(chart.get("channel").asString()).isEqualTo("utilization-data");
        assertThat(chart.get("series").get(0).get("column").asInt()).isEqualTo(1);
        assertThat(chart.get("xAxis").get("unit").asInt()).isEqualTo(6);
        assertThat(chart.get("yAxis").get("unit").asInt()).isEqualTo(3);
        assertThat(chart.get("yAxis").get("minimum").asDouble()).isZero();
        assertThat(chart.get("yAxis").get("maximum").asDouble()).isEqualTo(400);
        assertThat(chart.get("yAxisColumn").asInt()).isZero();

        List<String> ids = charts.stream().map(m -> JSON.readTree(m.stdout().split("\n")[1]).get("id").asString()).toList();
        assertThat(ids).containsExactly("cpu", "memory", "network", "disk-io", "file-system");
        JsonNode network = JSON.readTree(charts.get(2).stdout().split("\n")[2]);
        assertThat(network.get("series")).extracting(n -> n.get("column").asInt()).containsExactly(3, 4, 5, 6);
        JsonNode disk = JSON.readTree(charts.get(3).stdout().split("\n")[2]);
        assertThat(disk.get("series")).extracting(n -> n.get("column").asInt()).containsExactly(39, 40);
    }

    @Test
    void withoutASampleTheTopsAreOpen() {
        JsonNode cpu = JSON.readTree(MetricsMessages.charts(0, Optional.empty()).get(0).stdout().split("\n")[2]);
        assertThat(cpu.get("yAxis").get("maximum").isNull()).isTrue();
    }

    @Test
    void rowsAreCommaJoinedNumbers() {
        var row = MetricsMessages.row(1, new Sample(9, new double[] {1767225600250.0, 12.5, 3, Double.NaN,
                Double.POSITIVE_INFINITY, 1e20}));
        assertThat(row).isEqualTo(FollowMessage.onChannel(1, "utilization-data", "1767225600250,12.5,3,0,0,1.0E20"));
        assertThat(MetricsMessages.reset(1)).isEqualTo(FollowMessage.onChannel(1, "utilization-data-reset", ""));
    }

    @Test
    void summaryKeepsKeyValueLinesOnly() {
        byte[] bytes = ("OperatingSystem:Debian\u0007 12\nnot a pair\n:no key\nKernelVersion:6.1\r\n"
                + "Bad:\u00ff\u00fe").getBytes(StandardCharsets.ISO_8859_1);
        assertThat(MetricsMessages.summaryText(bytes))
                .isEqualTo("OperatingSystem:Debian 12\nKernelVersion:6.1\nBad:\ufffd\ufffd\n");
        var many = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            many.append("K").append(i).append(":v\n");
        }
        assertThat(MetricsMessages.summaryText(many.toString().getBytes(StandardCharsets.UTF_8)).split("\n"))
                .hasSize(MetricsMessages.MAX_SUMMARY_LINES);
    }
}
