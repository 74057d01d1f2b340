package dk.sdu.cloud.im.harness.web;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.net.InetSocketAddress;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * The first handler of the links' proxy: finds where a request goes by its {@code Host} ({@link LinkRoutes}) and
 * hands it on with that target as a request attribute ({@link #target}); a request without a route is answered here,
 * in JSON: no {@code Host} 400, an unknown domain 404, a machine that does not run 503.
 */
final class LinkRouting extends Handler.Wrapper {
    private static final String TARGET = LinkRouting.class.getName() + ".target";

    private final LinkRoutes routes;
    private final JsonAnswer answer;

    LinkRouting(LinkRoutes routes, JsonAnswer answer, Handler next) {
        super(requireNonNull(next, "next is null"));
        this.routes = requireNonNull(routes, "routes is null");
        this.answer = requireNonNull(answer, "answer is null");
    }

    /** The address a routed request goes to; set for every request the handlers after this one see. */
    static InetSocketAddress target(Request request) {
        if (request.getAttribute(TARGET) instanceof InetSocketAddress target) {
            return target;
        }
        throw new IllegalStateException("the request was not routed by LinkRouting");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String host = hostOf(request.getHeaders().get(HttpHeader.HOST));
        if (host == null) {
            // Jetty would fall back to the local address; a link is only ever found by the domain the visitor used.
            answer.write(response, HttpStatus.BAD_REQUEST_400,
                    "the request names no Host: a public link is found by its domain", callback);
            return true;
        }
        LinkRoute route = routes.resolve(host);
        if (!route.found()) {
            answer.write(response, route.status(), route.why(), callback);
            return true;
        }
        request.setAttribute(TARGET, route.target());
        return super.handle(request, response, callback);
    }

    /** The host of a {@code Host} field, lowercase, without its port; null when there is none. */
    static String hostOf(String field) {
        if (field == null) {
            return null;
        }
        String host = field.trim().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            host = end > 0 ? host.substring(0, end + 1) : host;
        } else {
            int colon = host.indexOf(':');
            host = colon >= 0 ? host.substring(0, colon) : host;
        }
        return host.isEmpty() ? null : host;
    }
}
