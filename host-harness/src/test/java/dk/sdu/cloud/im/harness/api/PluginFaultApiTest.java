package dk.sdu.cloud.im.harness.api;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dk.sdu.cloud.im.harness.boot.HostOptions;
import dk.sdu.cloud.im.harness.boot.ImHost;
import dk.sdu.cloud.im.harness.jobs.JobDriver;
import dk.sdu.cloud.im.harness.testing.BuiltPlugins;
import dk.sdu.cloud.im.harness.testing.ExampleConfigs;
import dk.sdu.cloud.im.harness.testing.FaultyComputePlugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import static dk.sdu.cloud.im.harness.api.ApiFixture.JOBS;
import static dk.sdu.cloud.im.harness.api.ApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A plugin's failure at run time, in a real plugin built at test time and loaded by the host: the error
 * body (or, for a start carried out behind the answer, the job's status) names the plugin's id, its backend and what it was asked, with a reference to the log, which has the
 * exception's message; the message itself never reaches the caller. An {@code Error} of the plugin is named
 * the same way and leaves the server serving.
 */
class PluginFaultApiTest {
    private static final String REFERENCE = "; error reference [0-9a-f-]{36} in the provider's log";
    private static final String PLUGIN = "plugin '" + FaultyComputePlugin.PLUGIN_ID + "' (" + FaultyComputePlugin.NAME + ")";

    @TempDir
    Path temp;

    private ImHost host;
    private ApiFixture api;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void setUp() {
        Path plugins = BuiltPlugins.copyStoragePluginsTo(temp.resolve("plugins"));
        FaultyComputePlugin.build(plugins);
        Path config = ExampleConfigs.of("config-hostpath.yaml").writeTo(temp.resolve("config.yaml"));
        host = ImHost.assemble(new HostOptions(config, plugins, temp.resolve("state")));
        api = ApiFixture.start(temp.resolve("api"), ApiSettings.DEFAULT_MAX_BODY_BYTES, Duration.ofSeconds(5),
                new RecordingBackend(), host.computeBackends());
        log.start();
        ((Logger) LoggerFactory.getLogger(Problems.class)).addAppender(log);
        ((Logger) LoggerFactory.getLogger(JobDriver.class)).addAppender(log);
    }

    @AfterEach
    void tearDown() {
        ((Logger) LoggerFactory.getLogger(Problems.class)).detachAppender(log);
        ((Logger) LoggerFactory.getLogger(JobDriver.class)).detachAppender(log);
        api.close();
        host.close();
    }

    private static String bulk(String job) {
        return "{\"items\": [" + job + "]}";
    }

    /** A pattern for {@code text} followed by the reference to the log. */
    private static String withReference(String text) {
        return Pattern.quote(text) + REFERENCE;
    }

    private List<String> logged() {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aFailureInVerifyNamesThePluginAndNothingIsCreated() {
        HttpResponse<String> response = api.post(JOBS, bulk(FaultyComputePlugin.job("f-1", FaultyComputePlugin.FAIL_IN_VERIFY)));

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).doesNotContain(FaultyComputePlugin.INTERNAL_DETAIL);
        String why = json(response).get("items").get(0).get("why").asString();
        assertThat(why).matches(withReference(PLUGIN + " failed to verify job f-1: IllegalStateException"));
        assertThat(api.store.list()).isEmpty();
        String reference = why.replaceAll(".*error reference ([0-9a-f-]{36}).*", "$1");
        assertThat(logged()).singleElement().asString()
                .isEqualTo(PLUGIN + " failed to verify job f-1: IllegalStateException: "
                        + FaultyComputePlugin.INTERNAL_DETAIL + " (error reference " + reference + ")");
    }

    @Test
    void aFailureInStartNamesThePluginOnTheJobWhichStaysRecorded() {
        HttpResponse<String> response = api.post(JOBS, bulk(FaultyComputePlugin.job("f-2", FaultyComputePlugin.FAIL_IN_START)));

        // The start runs behind the answer: its failure reaches the job's status, not the response.
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        await().atMost(ApiFixture.DEADLINE).untilAsserted(() -> assertThat(api.store.find("f-2").orElseThrow()
                .statusMessage()).matches(withReference(PLUGIN + " failed to start job f-2: IllegalStateException")
                        + Pattern.quote("; the IM keeps trying")));
        assertThat(api.store.find("f-2").orElseThrow().statusMessage())
                .doesNotContain(FaultyComputePlugin.INTERNAL_DETAIL).doesNotContain("no route to host");
        assertThat(logged()).anySatisfy(line -> assertThat(line).contains(PLUGIN + " failed to start job f-2")
                .contains("caused by IOException: no route to host"));
    }

    @Test
    void anErrorOfThePluginIsNamedAndTheServerKeepsServing() {
        HttpResponse<String> response = api.post(JOBS, bulk(FaultyComputePlugin.job("f-3", FaultyComputePlugin.MISSING_CLASS)));

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(json(response).get("items").get(0).get("why").asString())
                .matches(withReference(PLUGIN + " failed to verify job f-3: NoClassDefFoundError"));
        assertThat(logged()).singleElement().asString().contains("com/fasterxml/jackson/databind/ObjectMapper");

        HttpResponse<String> next = api.post(JOBS, bulk(FaultyComputePlugin.job("f-4", "fine")));
        assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
        assertThat(api.store.find("f-4")).isPresent();
    }

    @Test
    void aFailureOfferingDynamicParametersNamesThePlugin() {
        HttpResponse<String> response = api.post(JOBS + "/requestDynamicParameters",
                "{\"owner\": {\"createdBy\": \"alice#1234\"}, \"application\": {\"name\": \""
                        + FaultyComputePlugin.FAIL_IN_VERIFY + "\", \"version\": \"1\"}}");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).doesNotContain(FaultyComputePlugin.INTERNAL_DETAIL);
        assertThat(json(response).get("why").asString()).matches(withReference(PLUGIN
                + " failed to offer dynamic parameters for application fail in verify 1: IllegalStateException"));
    }
}
