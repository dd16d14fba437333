package dev.crcexporter.poll;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.Secret;
import dev.crcexporter.upstream.FailureReason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SnapshotStoreTest {
    private static AccountConfig account(String name, int capacity) {
        return new AccountConfig(name, "key-" + name, new Secret("secret-" + name), OptionalInt.of(capacity));
    }

    private static void failOnce(SnapshotStore store, String name) {
        store.update(store.slots().get(name),
                s -> s.withError(new PollError(Instant.EPOCH, FailureReason.TIMEOUT, "slow"))
                        .withFailure(Duration.ZERO));
    }

    @Test
    void readinessCountsTheAccountsThatFinishedTheirFirstPollFailedOrNot() {
        SnapshotStore store = new SnapshotStore(List.of(account("hq", 40), account("apac", 5)));
        assertThat(store.readiness()).isEqualTo(new SnapshotStore.Readiness(0, 2));
        assertThat(store.readiness().allPolled()).isFalse();

        failOnce(store, "hq");
        assertThat(store.readiness()).isEqualTo(new SnapshotStore.Readiness(1, 2));

        store.update(store.slots().get("apac"), s -> s.withSuccess(List.of(), Instant.EPOCH, Duration.ZERO));
        assertThat(store.readiness()).isEqualTo(new SnapshotStore.Readiness(2, 2));
        assertThat(store.readiness().allPolled()).isTrue();
        assertThat(new SnapshotStore(List.of()).readiness().allPolled()).as("nothing to wait for").isTrue();
    }

    @Test
    void aReplaceSwapsTheAccountsAtOnceKeepingWhatStaysAndStartingWhatIsFreshFromZero() {
        SnapshotStore store = new SnapshotStore(List.of(account("hq", 40), account("apac", 5), account("lat", 1)));
        failOnce(store, "hq");
        failOnce(store, "apac");
        SnapshotStore.Slot hq = store.slots().get("hq");
        SnapshotStore.Slot apac = store.slots().get("apac");
        SnapshotStore.Slot lat = store.slots().get("lat");
        List<AccountSnapshot> before = store.all();
        long version = store.version();

        List<SnapshotStore.Slot> dropped = store.replace(List.of(account("new", 2), account("hq", 48),
                account("apac", 5)), Set.of("new", "apac"));

        assertThat(store.version()).isGreaterThan(version);
        assertThat(dropped).containsExactly(apac, lat);
        assertThat(store.all()).extracting(AccountSnapshot::name).containsExactly("new", "hq", "apac");
        assertThat(store.slots().get("hq")).isSameAs(hq);
        assertThat(store.slots().get("hq").get().account().capacity()).hasValue(48);
        assertThat(store.slots().get("hq").get().errorCounts().get(FailureReason.TIMEOUT)).isEqualTo(1);
        assertThat(store.slots().get("apac").get().errorCounts().get(FailureReason.TIMEOUT)).isZero();
        assertThat(store.slots().get("apac").get().polled()).isFalse();
        assertThat(store.current(hq)).isTrue();
        assertThat(store.current(apac)).isFalse();
        assertThat(store.current(lat)).isFalse();
        // A list read before the swap is the old configuration's, whole.
        assertThat(before).extracting(AccountSnapshot::name).containsExactly("hq", "apac", "lat");
    }

    @Test
    void aWriteToAReplacedSlotReachesNothingThatIsRead() {
        SnapshotStore store = new SnapshotStore(List.of(account("apac", 5)));
        SnapshotStore.Slot old = store.slots().get("apac");
        store.replace(List.of(account("apac", 5)), Set.of("apac"));

        store.update(old, s -> s.withSuccess(List.of(), Instant.EPOCH, Duration.ZERO));

        assertThat(old.get().up()).isTrue();
        assertThat(store.slots().get("apac").get().polled()).isFalse();
        assertThat(store.readiness().allPolled()).isFalse();
    }
}
