/**
 * A small RFB 3.8 server (RFC 6143) drawing a test screen: what the simulator serves behind a VMI's
 * {@code vnc} subresource. {@link dk.sdu.cloud.im.simulator.vnc.RfbSession} speaks the protocol over a pair of
 * byte streams, {@link dk.sdu.cloud.im.simulator.vnc.TestScreen} is the picture it shows. Nothing here knows
 * websockets or Kubernetes.
 */
package dk.sdu.cloud.im.simulator.vnc;
