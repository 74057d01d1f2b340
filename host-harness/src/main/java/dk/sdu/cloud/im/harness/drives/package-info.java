/**
 * Drives as UCloud/Core knows them and where they are on the provider's file system: a drive's
 * {@code providerGeneratedId} ({@link dk.sdu.cloud.im.harness.drives.DriveDescriptor}), Core's drive and share
 * calls ({@link dk.sdu.cloud.im.harness.drives.CoreDrives}), the drives kept in the job store
 * ({@link dk.sdu.cloud.im.harness.drives.DriveCache}), UCloud paths to folders
 * ({@link dk.sdu.cloud.im.harness.drives.DriveLocator}), member-files drives registered when missing
 * ({@link dk.sdu.cloud.im.harness.drives.MemberFilesDrives}), and the
 * {@link dk.sdu.cloud.im.spi.host.ProviderFileSystem} built on them
 * ({@link dk.sdu.cloud.im.harness.drives.CoreProviderFileSystem}).
 */
package dk.sdu.cloud.im.harness.drives;
