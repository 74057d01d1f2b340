package dk.sdu.cloud.im.harness.web;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpScheme;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeoutException;

import static java.util.Objects.requireNonNull;

/**
 * Jetty's reverse proxy, sending each request to the target {@link LinkRouting} chose for its {@code Host}: the
 * path, query, method, headers and body pass on as Jetty's proxy passes them (streamed, keep-alive on both sides),
 * with the {@code X-Forwarded-*} fields added. A target that cannot be reached is a JSON 502 (504 when it does not
 * answer in time), naming the link's domain.
 */
final class LinkHttpForwarder extends ProxyHandler.Reverse {
    private final JsonAnswer answer;

    /**
     * @param client sends the requests to the targets; started and stopped by whoever owns it
     * @param answer writes the JSON errors
     */
    LinkHttpForwarder(HttpClient client, JsonAnswer answer) {
        super(LinkHttpForwarder::targetUri);
        setHttpClient(requireNonNull(client, "client is null"));
        this.answer = requireNonNull(answer, "answer is null");
    }

    private static HttpURI targetUri(Request request) {
        InetSocketAddress target = LinkRouting.target(request);
        return HttpURI.build(request.getHttpURI()).scheme(HttpScheme.HTTP)
                .host(target.getHostString()).port(target.getPort()).asImmutable();
    }

    @Override
    protected void addProxyHeaders(Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest) {
        super.addProxyHeaders(clientToProxyRequest, proxyToServerRequest);
        proxyToServerRequest.headers(headers -> ForwardedHeaders.add(clientToProxyRequest, headers));
    }

    @Override
    protected void onServerToProxyResponseFailure(Request clientToProxyRequest,
                                                  org.eclipse.jetty.client.Request proxyToServerRequest,
                                                  org.eclipse.jetty.client.Response serverToProxyResponse,
                                                  Response proxyToClientResponse, Callback proxyToClientCallback,
                                                  Throwable failure) {
        if (proxyToClientResponse.isCommitted()) {
            // Part of the target's answer is out: all that is left is to end the exchange.
            super.onServerToProxyResponseFailure(clientToProxyRequest, proxyToServerRequest, serverToProxyResponse,
                    proxyToClientResponse, proxyToClientCallback, failure);
            return;
        }
        // What the target may have set before it failed is not the answer.
        proxyToClientResponse.reset();
        String host = LinkRouting.hostOf(clientToProxyRequest.getHeaders().get("Host"));
        if (failure instanceof TimeoutException) {
            answer.write(proxyToClientResponse, HttpStatus.GATEWAY_TIMEOUT_504, "the job behind " + host
                    + " did not answer in time (" + failure.getMessage() + ")", proxyToClientCallback);
        } else {
            answer.write(proxyToClientResponse, HttpStatus.BAD_GATEWAY_502, "the job behind " + host
                    + " does not accept connections at its port (" + failure.getMessage()
                    + "); is its web server running?", proxyToClientCallback);
        }
    }
}
