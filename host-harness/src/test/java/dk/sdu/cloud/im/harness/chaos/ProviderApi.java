package dk.sdu.cloud.im.harness.chaos;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.ConnectException;
import dk.sdu.cloud.im.harness.client.CallCredentials;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The IM's provider API as Core calls it (bulk requests signed as Core signs them), and its job view
 * ({@code GET /harness/jobs}). Each IM process gets a fresh instance: connections kept open to a killed IM
 * would make requests to its successor fail for no reason of its own.
 */
final class ProviderApi {
    static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI base;
    private final String providerId;
    private final CallCredentials credentials;
    private final Duration timeout;
    private final HttpClient http;

    ProviderApi(URI base, String providerId, CallCredentials credentials, Duration timeout) {
        this.base = requireNonNull(base, "base is null");
        this.providerId = requireNonNull(providerId, "providerId is null");
        this.credentials = requireNonNull(credentials, "credentials is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** How a request ended. */
    record Answer(Outcome outcome, int status, String detail) {
    }

    /** {@code POST .../jobs/retrieveProducts}: a provider call that reads the configuration and writes nothing. */
    Answer retrieveProducts() {
        return post("/retrieveProducts", JSON.createObjectNode());
    }

    /** Sends one bulk request of {@code operation} for these jobs. */
    Answer send(Operation operation, List<JsonNode> jobs) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode items = body.putArray("items");
        for (JsonNode job : jobs) {
            if (operation.wrapped()) {
                items.addObject().set("job", job);
            } else {
                items.add(job);
            }
        }
        return post(operation.pathSuffix(), body);
    }

    private Answer post(String jobsPathSuffix, JsonNode body) {
        HttpRequest request = signed(HttpRequest.newBuilder(URI.create(base + "/ucloud/" + providerId + "/jobs"
                        + jobsPathSuffix)))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            int status = response.statusCode();
            return new Answer(status / 100 == 2 ? Outcome.ACCEPTED : Outcome.ERROR, status, abbreviate(response.body()));
        } catch (ConnectException | HttpConnectTimeoutException e) {
            return new Answer(Outcome.NOT_DELIVERED, 0, e.toString());
        } catch (IOException e) {
            return new Answer(Outcome.NO_ANSWER, 0, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(Outcome.NO_ANSWER, 0, "interrupted");
        }
    }

    /**
     * The jobs the IM's store holds and their states, from {@code GET /harness/jobs}.
     *
     * @throws IOException when the IM does not answer with its listing
     */
    Map<String, String> storedStates() throws IOException {
        HttpRequest request = signed(HttpRequest.newBuilder(URI.create(base + "/harness/jobs"))).timeout(timeout)
                .header("Accept", "application/json").GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (response.statusCode() != 200) {
            throw new IOException("GET /harness/jobs answered " + response.statusCode() + ": " + abbreviate(response.body()));
        }
        Map<String, String> states = new LinkedHashMap<>();
        for (JsonNode job : JSON.readTree(response.body()).path("jobs")) {
            states.put(job.path("id").asString(), job.path("state").asString());
        }
        return states;
    }

    private static String abbreviate(String text) {
        String flat = text == null ? "" : text.strip().replaceAll("\\s+", " ");
        return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
    }

    /** The request with what the IM accepts from Core (its signed token). */
    private HttpRequest.Builder signed(HttpRequest.Builder request) {
        credentials.headers().forEach(request::header);
        return request;
    }
}
