/**
 * The provider API that UCloud/Core calls ({@code /ucloud/<providerId>/jobs...}, in Core's bulk shapes),
 * plus the harness's own read-only view of its job store ({@code /harness/jobs}) and the Prometheus
 * endpoint ({@code /metrics}), served by {@link dk.sdu.cloud.im.harness.api.ProviderApiServer} on Javalin.
 *
 * <p>Every error is a JSON object {@code {"why": "...", "items": [...]}}; {@code items} appears when a bulk
 * request had bad items, one entry per bad item. A bulk request is all or nothing: when any item is bad, no
 * job is stored or handed to a backend.
 */
package dk.sdu.cloud.im.harness.api;
