/**
 * Users' views of VMs' screens: the relay between a {@link dk.sdu.cloud.im.spi.compute.VncSession} and KubeVirt's
 * {@code vnc} subresource of the job's VirtualMachineInstance (a raw RFB stream).
 */
package dk.sdu.cloud.im.kubevirt.vnc;
