package dk.sdu.cloud.im.harness.console;

import dk.sdu.cloud.im.harness.api.ExampleJobs;
import dk.sdu.cloud.im.harness.client.HarnessClient;
import dk.sdu.cloud.im.harness.serve.ImServer;
import dk.sdu.cloud.im.harness.testing.EmbeddedImFixture;
import dk.sdu.cloud.im.spi.job.JobState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.function.Supplier;

import static dk.sdu.cloud.im.harness.testing.EmbeddedImFixture.JOBS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The web console in a real browser: Debian's headless Chromium (through {@code /usr/bin/chromedriver}, so Selenium
 * downloads nothing) opens the console of a job of an embedded-mode IM whose simulated guest runs the real agent,
 * types a command into the terminal and reads its output, watches the VNC screen get pixels and the metrics chart get
 * points, and saves a screenshot as {@code target/web-console.png} (docs/web-console.png is a copy of it).
 * Chromium is a prerequisite of the build (scripts/prerequisites installs it): without it this test fails and says so.
 * Every wait is bounded only as a failure limit.
 */
class WebConsoleBrowserTest {
    private static final Duration STEP = Duration.ofSeconds(120);
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String ID = "5701";

    @TempDir
    Path temp;

    private EmbeddedImFixture fixture;
    private WebDriver browser;

    @AfterEach
    void tearDown() {
        if (browser != null) {
            browser.quit();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void theConsoleShowsTheShellsOutputTheMetricsAndTheScreen() throws IOException {
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                .as("the browser test needs Debian's chromium and chromium-driver (%s, %s): run scripts/prerequisites "
                        + "as root, or apt-get install chromium chromium-driver", CHROMIUM, CHROMEDRIVER)
                .isTrue();
        Path bundle = Path.of(System.getProperty("im.test.agentBundle", "target/guest/vm-agent")).toAbsolutePath();
        assertThat(bundle.resolve("vmagent")).as("the unpacked agent bundle (im.test.agentBundle)").isExecutable();
        fixture = new EmbeddedImFixture(temp.resolve("im"), config -> config
                .setYaml("services.compute.virtualMachines.agentBundle", "'" + bundle + "'"));

        try (ImServer server = fixture.startImWithGuests()) {
            HarnessClient client = fixture.client(server);
            client.post(JOBS, ExampleJobs.JSON.readTree(ExampleJobs.bulk(fixture.job(ID))));
            await().atMost(STEP).untilAsserted(() -> assertThat(server.store().find(ID)).get()
                    .extracting(s -> s.state()).isEqualTo(JobState.RUNNING));
            URI console = client.consoleUrl(ID);
            assertThat(console.getQuery()).startsWith("ticket=");

            browser = chromium(temp.resolve("chromium"));
            try {
                useTheConsole(server, console);
            } catch (AssertionError | RuntimeException e) {
                // What the page showed when it failed, for the person reading the failure.
                Files.write(Path.of("target", "web-console-failure.png"),
                        ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
                throw e;
            }
        }
    }

    private void useTheConsole(ImServer server, URI console) throws IOException {
        browser.get(console.toString());
        // The ticket was traded for the cookie, and left the address bar.
        assertThat(browser.getCurrentUrl()).isEqualTo(server.url().resolve("/console/" + ID).toString());

        // The terminal: the agent's shell (the guest's agent may take a while to start: the shell then begins on
        // the serial console and moves over by itself).
        await().atMost(STEP).until(() -> "open".equals(browser.findElement(By.id("terminal")).getDomAttribute("data-state")));
        String marker = "console-" + new SecureRandom().nextInt(1_000_000) + "-check";
        String expected = marker.replace("-check", "-42-check");
        // Typed as a person types, into xterm.js's input (the shell keeps what comes before its prompt).
        browser.findElement(By.cssSelector("#terminal .xterm-helper-textarea"))
                .sendKeys("echo " + marker.replace("-check", "-$((6 * 7))-check") + Keys.ENTER);
        await().atMost(STEP).until(() -> script("return window.consoleView.terminalText()").contains(expected));

        // The screen: noVNC drew the simulator's test screen.
        await().atMost(STEP).until(() -> "connected".equals(browser.findElement(By.id("screen")).getDomAttribute("data-state"))
                && number(() -> script("return String(window.consoleView.screenPixels())")) > 1000);

        // The metrics chart: points from the follow stream's utilization-data (the guest's metrics service).
        await().atMost(STEP).until(() -> number(() -> script("return String(window.consoleView.points())")) >= 2);
        assertThat(Integer.parseInt(browser.findElement(By.id("chart")).getDomAttribute("data-points")))
                .isGreaterThanOrEqualTo(2);

        Path screenshot = Path.of("target", "web-console.png");
        Files.write(screenshot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        assertThat(Files.size(screenshot)).isPositive();
    }

    private String script(String code) {
        Object value = ((JavascriptExecutor) browser).executeScript(code);
        return value == null ? "" : value.toString();
    }

    private static long number(Supplier<String> text) {
        try {
            return Long.parseLong(text.get());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static WebDriver chromium(Path profile) throws IOException {
        Files.createDirectories(profile);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // Chromium's background services would dial the internet: off, with a fresh profile.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000", "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }
}
