package dk.sdu.cloud.im.kubevirt.testing;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The requests of one client, in order, as "METHOD path". */
public final class RequestLog implements Interceptor {

    private final List<String> requests = new CopyOnWriteArrayList<>();

    public void installOn(HttpClient.Builder http) {
        http.addOrReplaceInterceptor("test-log", this);
    }

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        requests.add(request.method() + " " + request.uri().getRawPath());
    }

    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** The last path segment of each request with this method, e.g. the plural of each POST. */
    public List<String> resourcesOf(String method) {
        return requests.stream().filter(r -> r.startsWith(method + " ")).map(r -> {
            String[] parts = r.split("/");
            return method.equals("POST") ? parts[parts.length - 1] : parts[parts.length - 2];
        }).toList();
    }

    public void clear() {
        requests.clear();
    }
}
