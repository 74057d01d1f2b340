/**
 * Assembling a host: plugins, then configuration (the host's keys and the sections of the extensions that
 * will be created), then the injector and the extensions. {@link dk.sdu.cloud.im.harness.boot.ImHost} is the
 * result; commands of the CLI start from here.
 */
package dk.sdu.cloud.im.harness.boot;
