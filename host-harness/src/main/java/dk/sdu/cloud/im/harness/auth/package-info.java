/**
 * Who may call the IM, and UCloud/Core's tokens: the key formats of UCloud ({@link
 * dk.sdu.cloud.im.harness.auth.UCloudPublicKeyFile}), the provider's key pair and Core's signing of tokens
 * (for the harness when it plays Core), and the checks of Core's calls ({@link
 * dk.sdu.cloud.im.harness.auth.CallAuthenticator}: Core's signed token, a gateway's forwarded claims, or a static
 * token for the harness), each telling the end user ({@link dk.sdu.cloud.im.harness.auth.Caller}).
 */
package dk.sdu.cloud.im.harness.auth;
