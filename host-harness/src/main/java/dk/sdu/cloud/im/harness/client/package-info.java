/**
 * A client of a running IM's HTTP server, for the command line ({@code ucloud-im jobs}) and the demo: the
 * harness's job view and the provider API, with the credentials the IM's {@code harness.auth} accepts ({@link
 * dk.sdu.cloud.im.harness.client.CallCredentials}), and errors worded for a person.
 */
package dk.sdu.cloud.im.harness.client;
