/**
 * The web console of a job ({@code GET /console/<jobId>}): a page with a terminal on the job's shell, its VNC screen
 * and a live chart of its metrics, for an operator or a developer without UCloud's frontend. Its door is its own,
 * since the provider API's callers are Core, not browsers: a Core-signed {@code POST /harness/jobs/<id>/console}
 * hands out a single-use ticket, which the browser trades for a cookie bound to the job ({@link
 * dk.sdu.cloud.im.harness.console.ConsoleGrants}); the routes are {@link dk.sdu.cloud.im.harness.console.ConsoleRoutes}.
 */
package dk.sdu.cloud.im.harness.console;
