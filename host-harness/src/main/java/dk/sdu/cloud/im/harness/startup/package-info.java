/** How long each phase of a command's start took ({@code -Dim.startup.trace=true}), for finding what bounds it. */
package dk.sdu.cloud.im.harness.startup;
