/**
 * Public links in embedded mode: a reverse proxy in the IM that routes a request by its {@code Host} to the VM port
 * the link with that domain is bound to ({@link dk.sdu.cloud.im.harness.web.LinkProxy}), as a cluster's Ingress does:
 * Jetty's reverse proxy for HTTP, Jetty's websocket server and client for upgrades.
 */
package dk.sdu.cloud.im.harness.web;
