/** Single-use, short-lived tokens that let a user's browser open a websocket the provider API promised. */
package dk.sdu.cloud.im.harness.tokens;
