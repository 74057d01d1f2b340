/** The provider's shared file system as the host lays it out for plugins. */
package dk.sdu.cloud.im.harness.fs;
