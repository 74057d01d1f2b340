/**
 * Users' views of their jobs' screens: the single-use tokens the provider API hands out for interactive sessions
 * of type VNC ({@link dk.sdu.cloud.im.harness.vnc.VncSessions}), and the websocket that relays the raw RFB stream
 * between the user's viewer and the job's backend ({@link dk.sdu.cloud.im.harness.vnc.VncSocket}).
 */
package dk.sdu.cloud.im.harness.vnc;
