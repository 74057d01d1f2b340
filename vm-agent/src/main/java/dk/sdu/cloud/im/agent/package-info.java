/**
 * The agent that runs inside a virtual machine's guest. Its protocol (mutual token handshake, heartbeats,
 * SSH key pushes, TTY streams) is built with the guest-access work; this module reserves its place in
 * the build so that the IM's packaging and checks already cover it.
 */
package dk.sdu.cloud.im.agent;
