/** Running work later, behind an interface so that tests decide when "later" is. */
package dk.sdu.cloud.im.harness.time;
