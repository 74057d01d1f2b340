/**
 * The guest's metrics service ({@code vmagent metrics}, systemd unit {@code ucloud-metrics.service}): samples CPU,
 * memory, network, disk I/O and file-system use from {@code /proc} and {@code statfs} a few times a second and writes
 * them, with a periodic key-value summary, into the job's work folder in the format of docs/metrics-format.md, which
 * the integration module reads with a bound of its own. {@link dk.sdu.cloud.im.agent.metrics.MetricsMain} wires it.
 */
package dk.sdu.cloud.im.agent.metrics;
