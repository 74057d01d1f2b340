/**
 * Byte streams to a VirtualMachineInstance's websocket subresources (the serial console, the VNC screen) through
 * the API server: one connection's plumbing and end, shared by the shell's serial console and the VNC relay.
 */
package dk.sdu.cloud.im.kubevirt.stream;
