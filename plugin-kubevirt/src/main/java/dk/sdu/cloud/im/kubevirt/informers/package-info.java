/**
 * The plugin's informers: {@link dk.sdu.cloud.im.kubevirt.informers.SharedInformers}, one informer per kind and
 * selection shared by everything that follows the cluster (the object cache, the state tracker, the SSH port
 * allocator, the sweeper of Released volumes), each keeping its objects compact ({@code CompactStore}: deflated
 * JSON, decoded on read; VMIs and launcher pods without their spec, see {@link dk.sdu.cloud.im.kubevirt.informers.Keep}).
 */
package dk.sdu.cloud.im.kubevirt.informers;
