package dk.sdu.cloud.im.harness.publicip;

import dk.sdu.cloud.im.spi.network.PortRange;
import dk.sdu.cloud.im.spi.network.PublicIp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The pool and its allocations at one moment: every change is a new state, so that a change that is refused
 * leaves nothing behind. Each allocation's address is in the pool and held by that allocation alone.
 *
 * @param pool        the addresses, in the order they were added
 * @param allocations the public IP resources, in the order they were allocated
 */
public record PoolState(List<PoolEntry> pool, List<Allocation> allocations) {
    /** An empty pool. */
    public static final PoolState EMPTY = new PoolState(List.of(), List.of());

    public PoolState {
        pool = List.copyOf(requireNonNull(pool, "pool is null"));
        allocations = List.copyOf(requireNonNull(allocations, "allocations is null"));
    }

    /** The pool entry of a public address. */
    public Optional<PoolEntry> entry(String externalAddress) {
        return pool.stream().filter(e -> e.externalAddress().equals(externalAddress)).findFirst();
    }

    /** The allocation of a resource. */
    public Optional<Allocation> allocation(String id) {
        return allocations.stream().filter(a -> a.id().equals(id)).findFirst();
    }

    /** The allocation holding a public address. */
    public Optional<Allocation> holderOf(String externalAddress) {
        return allocations.stream().filter(a -> a.externalAddress().equals(externalAddress)).findFirst();
    }

    /** The resource as backends see it. */
    public Optional<PublicIp> publicIp(String id) {
        return allocation(id).flatMap(a -> entry(a.externalAddress()).map(a::toPublicIp));
    }

    /** The pool entries no resource holds, in pool order. */
    public List<PoolEntry> free() {
        return pool.stream().filter(e -> holderOf(e.externalAddress()).isEmpty()).toList();
    }

    /**
     * Adds addresses to the pool.
     *
     * @throws PublicIpPoolException when an address (public or internal) is in the pool already, or given twice
     */
    public PoolState add(List<PoolEntry> entries) {
        List<PoolEntry> next = new ArrayList<>(pool);
        for (PoolEntry entry : entries) {
            for (PoolEntry known : next) {
                if (known.externalAddress().equals(entry.externalAddress())) {
                    throw new PublicIpPoolException("the address " + entry.externalAddress()
                            + " is in the pool already");
                }
                if (known.internalAddress().equals(entry.internalAddress())) {
                    throw new PublicIpPoolException("the internal address " + entry.internalAddress()
                            + " is in the pool already (for " + known.externalAddress() + ")");
                }
            }
            next.add(entry);
        }
        return new PoolState(next, allocations);
    }

    /**
     * Removes an address from the pool; with {@code force}, also the allocation that holds it (the resource
     * then has no address at this provider).
     *
     * @throws PublicIpPoolException when the address is not in the pool, or is allocated and not forced
     */
    public PoolState remove(String externalAddress, boolean force) {
        String address = PoolEntry.canonical(externalAddress, "public");
        if (entry(address).isEmpty()) {
            throw new PublicIpPoolException("the address " + address + " is not in the pool");
        }
        Optional<Allocation> holder = holderOf(address);
        if (holder.isPresent() && !force) {
            throw new PublicIpPoolException("the address " + address + " is allocated to public IP "
                    + holder.get().id() + "; remove it anyway with --force");
        }
        return new PoolState(pool.stream().filter(e -> !e.externalAddress().equals(address)).toList(),
                allocations.stream().filter(a -> !a.externalAddress().equals(address)).toList());
    }

    /**
     * Gives each new resource a free address, in pool order; a resource allocated already keeps its address
     * (Core may send a create again).
     *
     * @throws PublicIpPoolException when the pool has too few free addresses for all of them
     */
    public PoolState allocate(List<NewPublicIp> requested) {
        List<Allocation> next = new ArrayList<>(allocations);
        List<PoolEntry> free = new ArrayList<>(free());
        int missing = 0;
        for (NewPublicIp wanted : requested) {
            if (next.stream().anyMatch(a -> a.id().equals(wanted.id()))) {
                continue;
            }
            if (free.isEmpty()) {
                missing++;
                continue;
            }
            next.add(new Allocation(wanted.id(), wanted.owner(), free.remove(0).externalAddress(),
                    wanted.openPorts()));
        }
        if (missing > 0) {
            throw new PublicIpPoolException("the provider has no more public IP addresses available ("
                    + missing + " more needed than its pool has free)");
        }
        return new PoolState(pool, next);
    }

    /** Frees a resource's address; a resource without one is fine. */
    public PoolState release(String id) {
        return new PoolState(pool, allocations.stream().filter(a -> !a.id().equals(id)).toList());
    }

    /**
     * Sets a resource's firewall.
     *
     * @throws PublicIpPoolException when the resource has no address here
     */
    public PoolState withFirewall(String id, List<PortRange> openPorts) {
        if (allocation(id).isEmpty()) {
            throw new PublicIpPoolException("public IP " + id + " has no address at this provider");
        }
        return new PoolState(pool, allocations.stream()
                .map(a -> a.id().equals(id) ? a.withOpenPorts(openPorts) : a).toList());
    }
}
