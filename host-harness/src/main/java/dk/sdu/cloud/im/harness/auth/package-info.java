/**
 * Who may call the IM, and UCloud/Core's tokens: the key formats of UCloud ({@link
 * dk.sdu.cloud.im.harness.auth.UCloudPublicKeyFile}), the provider's key pair and Core's signing of tokens
 * (for the harness when it plays Core), and the checks of Core's calls.
 */
package dk.sdu.cloud.im.harness.auth;
