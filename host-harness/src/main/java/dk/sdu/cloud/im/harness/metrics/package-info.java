/**
 * The harness's Prometheus metrics: HTTP requests by route and status, jobs by state (read from the job
 * store at scrape time), job updates received, and the JVM basics. Served at {@code GET /metrics}
 * without authentication, as Prometheus scrapers expect: no label carries a job id, a user or a token.
 */
package dk.sdu.cloud.im.harness.metrics;
