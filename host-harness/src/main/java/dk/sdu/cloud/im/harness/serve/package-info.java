/**
 * {@code ucloud-im serve}: a running IM. {@link dk.sdu.cloud.im.harness.serve.ImServer} assembles the host
 * with a job store, metrics and a cluster connection, opens the compute backends, serves the provider API,
 * and shuts all of it down in order ({@link dk.sdu.cloud.im.harness.serve.ShutdownSequence}).
 */
package dk.sdu.cloud.im.harness.serve;
