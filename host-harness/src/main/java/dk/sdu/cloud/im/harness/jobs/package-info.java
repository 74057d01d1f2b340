/**
 * The work behind the provider API's answers: {@link dk.sdu.cloud.im.harness.jobs.JobDriver} carries out each
 * job's last accepted request (as the job store records it) on the job's compute backend, a bounded number at a
 * time, each job's in order, retrying what fails, and at start carries on with what a previous IM left.
 */
package dk.sdu.cloud.im.harness.jobs;
