package dk.sdu.cloud.im.harness.web;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * The {@code X-Forwarded-*} fields a request to a link's target carries, as a cluster's Ingress sets them. Jetty's
 * proxy adds only the standard {@code Forwarded} field; web servers in guests mostly read these.
 */
final class ForwardedHeaders {
    private ForwardedHeaders() {
    }

    /** Sets the forwarding fields of the request {@code from} the visitor onto {@code to}, appending to a chain. */
    static void add(Request from, HttpFields.Mutable to) {
        String client = Request.getRemoteAddr(from);
        String earlier = from.getHeaders().get(HttpHeader.X_FORWARDED_FOR);
        to.put(HttpHeader.X_FORWARDED_FOR, earlier == null ? client : earlier + ", " + client);
        String host = from.getHeaders().get(HttpHeader.HOST);
        if (host != null) {
            to.put(HttpHeader.X_FORWARDED_HOST, host);
        }
        to.put(HttpHeader.X_FORWARDED_PROTO, from.isSecure() ? "https" : "http");
        to.put(HttpHeader.X_FORWARDED_PORT, String.valueOf(Request.getLocalPort(from)));
    }
}
