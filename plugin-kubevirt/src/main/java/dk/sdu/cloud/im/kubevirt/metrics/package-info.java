/** A guest's metrics, as its metrics service writes them into the job's work folder, read safely by the IM. */
package dk.sdu.cloud.im.kubevirt.metrics;
