/**
 * A job's follow stream in UCloud's shape ({@code /ucloud/jobs.provider.<provider>/websocket}): the log lines and
 * data packets of the job's backend ({@link dk.sdu.cloud.im.spi.compute.ComputeBackend#follow}), relayed to Core.
 */
package dk.sdu.cloud.im.harness.follow;
