/**
 * The IM's side of UCloud/Core's control API: the transport ({@link dk.sdu.cloud.im.harness.core.CoreTransport},
 * with the refresh-token exchange) and the calls the IM makes.
 */
package dk.sdu.cloud.im.harness.core;
