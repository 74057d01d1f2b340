package dk.sdu.cloud.im.kubevirt.metrics;

import dk.sdu.cloud.im.spi.compute.FollowMessage;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The follow messages of the metrics, in UCloud's shapes: chart definitions as ucviz widget packets on {@code ui}
 * (three JSON lines each: header, widget, line-chart definition), samples as comma-joined numbers on
 * {@code utilization-data}, an empty {@code utilization-data-reset}, the summary's {@code Key:Value} lines on
 * {@code kv}. The charts are the IM's own, never the guest's text.
 */
final class MetricsMessages {
    static final String UI = "ui";
    static final String UTILIZATION_DATA = "utilization-data";
    static final String UTILIZATION_DATA_RESET = "utilization-data-reset";
    static final String KV = "kv";
    /** Lines of a summary passed on, at most. */
    static final int MAX_SUMMARY_LINES = 64;

    // ucviz's enumerations (pkg/ucviz): WidgetTypeLineChart, WidgetActionCreate, WidgetWindowMain, icons, units.
    private static final int WIDGET_LINE_CHART = 6;
    private static final int ACTION_CREATE = 0;
    private static final int WINDOW_MAIN = 0;
    private static final int ICON_CPU = 2;
    private static final int ICON_MEMORY = 4;
    private static final int ICON_NETWORK = 5;
    private static final int ICON_DIRECTORY = 6;
    private static final int ICON_DRIVE = 7;
    private static final int UNIT_PERCENT_100 = 3;
    private static final int UNIT_BYTES = 4;
    private static final int UNIT_BYTES_PER_SECOND = 5;
    private static final int UNIT_DATE_TIME = 6;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private MetricsMessages() {
    }

    record Header(int action) {
    }

    record Location(int window, String tab, int icon) {
    }

    record Widget(String id, int type, Location location) {
    }

    record Series(String name, int column) {
    }

    record Axis(int unit, Double minimum, Double maximum) {
    }

    record LineChart(String channel, List<Series> series, Axis xAxis, Axis yAxis, int yAxisColumn) {
    }

    /**
     * The charts, one {@code ui} message each: CPU, memory, network, disk I/O, file system. The tops of the CPU,
     * memory and file-system charts come from {@code latest} (the vCPUs, memory and disk size it reports) when
     * there is one.
     */
    static List<FollowMessage> charts(int rank, Optional<Sample> latest) {
        List<FollowMessage> messages = new ArrayList<>();
        Axis time = new Axis(UNIT_DATE_TIME, null, null);
        messages.add(chart(rank, "cpu", "CPU utilization", ICON_CPU,
                new LineChart(UTILIZATION_DATA, List.of(new Series("CPU", MetricsFileFormat.COLUMN_CPU_PERCENT)), time,
                        new Axis(UNIT_PERCENT_100, 0.0, top(latest, MetricsFileFormat.COLUMN_CPU_LIMIT_PERCENT)), 0)));
        messages.add(chart(rank, "memory", "Memory", ICON_MEMORY,
                new LineChart(UTILIZATION_DATA, List.of(new Series("Memory", MetricsFileFormat.COLUMN_MEMORY_USED)),
                        time, new Axis(UNIT_BYTES, 0.0, top(latest, MetricsFileFormat.COLUMN_MEMORY_TOTAL)), 0)));
        List<Series> network = new ArrayList<>();
        for (int i = 0; i < MetricsFileFormat.NET_INTERFACES; i++) {
            network.add(new Series("Interface " + (i + 1) + " receive", MetricsFileFormat.COLUMN_NET_FIRST + 2 * i));
            network.add(new Series("Interface " + (i + 1) + " transmit", MetricsFileFormat.COLUMN_NET_FIRST + 2 * i + 1));
        }
        messages.add(chart(rank, "network", "Network", ICON_NETWORK,
                new LineChart(UTILIZATION_DATA, network, time, new Axis(UNIT_BYTES_PER_SECOND, 0.0, null), 0)));
        messages.add(chart(rank, "disk-io", "Disk I/O", ICON_DRIVE,
                new LineChart(UTILIZATION_DATA, List.of(new Series("Read", MetricsFileFormat.COLUMN_DISK_READ),
                        new Series("Write", MetricsFileFormat.COLUMN_DISK_WRITE)), time,
                        new Axis(UNIT_BYTES_PER_SECOND, 0.0, null), 0)));
        messages.add(chart(rank, "file-system", "File system", ICON_DIRECTORY,
                new LineChart(UTILIZATION_DATA, List.of(new Series("Used", MetricsFileFormat.COLUMN_FS_USED)), time,
                        new Axis(UNIT_BYTES, 0.0, top(latest, MetricsFileFormat.COLUMN_FS_TOTAL)), 0)));
        return messages;
    }

    private static Double top(Optional<Sample> latest, int column) {
        return latest.map(s -> s.column(column)).filter(v -> Double.isFinite(v) && v > 0).orElse(null);
    }

    private static FollowMessage chart(int rank, String id, String tab, int icon, LineChart chart) {
        String packet = JSON.writeValueAsString(new Header(ACTION_CREATE)) + "\n"
                + JSON.writeValueAsString(new Widget(id, WIDGET_LINE_CHART, new Location(WINDOW_MAIN, tab, icon))) + "\n"
                + JSON.writeValueAsString(chart) + "\n";
        return FollowMessage.onChannel(rank, UI, packet);
    }

    /** A sample as UCloud's row: every column, comma-joined; a value that is not a finite number becomes 0. */
    static FollowMessage row(int rank, Sample sample) {
        var text = new StringBuilder(sample.values().length * 8);
        for (int i = 0; i < sample.values().length; i++) {
            if (i > 0) {
                text.append(',');
            }
            text.append(number(sample.values()[i]));
        }
        return FollowMessage.onChannel(rank, UTILIZATION_DATA, text.toString());
    }

    static String number(double value) {
        if (!Double.isFinite(value)) {
            return "0";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    static FollowMessage reset(int rank) {
        return FollowMessage.onChannel(rank, UTILIZATION_DATA_RESET, "");
    }

    /**
     * The summary as UCloud's {@code kv}: the {@code Key:Value} lines of the file, decoded as UTF-8 (bad bytes
     * replaced), without control characters, at most {@link #MAX_SUMMARY_LINES} of them; other lines are dropped.
     */
    static String summaryText(byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            text = "";
        }
        var kept = new StringBuilder();
        int lines = 0;
        for (String line : text.split("\n")) {
            String clean = line.replaceAll("\\p{Cntrl}", "");
            if (clean.indexOf(':') > 0 && lines < MAX_SUMMARY_LINES) {
                kept.append(clean).append('\n');
                lines++;
            }
        }
        return kept.toString();
    }

    static FollowMessage kv(int rank, String summaryText) {
        return FollowMessage.onChannel(rank, KV, summaryText);
    }
}
