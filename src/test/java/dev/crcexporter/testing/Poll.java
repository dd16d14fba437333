package dev.crcexporter.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waits for a condition with a bound, instead of sleeping a guessed time. */
public final class Poll {
    private static final Duration DEFAULT_INTERVAL = Duration.ofMillis(20);

    private Poll() {}

    /**
     * Thrown by a probe to stop waiting at once (a server process died): no later probe can succeed.
     * Any other {@link AssertionError} of a probe only means "not yet".
     */
    public static final class Abort extends AssertionError {
        public Abort(String message) {
            super(message);
        }
    }

    public static void until(Duration bound, String what, BooleanSupplier condition) {
        until(bound, DEFAULT_INTERVAL, what, condition);
    }

    public static void until(Duration bound, Duration interval, String what, BooleanSupplier condition) {
        until(bound, interval, what, condition::getAsBoolean, done -> done, () -> "");
    }

    /**
     * Probes every {@code interval} until {@code done} accepts the probe's value, and returns that value.
     * A probe that throws an {@link AssertionError} counts as "not yet" (an {@link Abort} ends the wait);
     * on failure the message names the last value or error, followed by {@code context} (logs, for example).
     */
    public static <T> T until(Duration bound, Duration interval, String what, Supplier<T> probe,
                              Predicate<? super T> done, Supplier<String> context) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            Object last;
            AssertionError lastError = null;
            try {
                T value = probe.get();
                if (done.test(value)) {
                    return value;
                }
                last = value;
            } catch (Abort e) {
                throw new AssertionError(e.getMessage() + " while waiting for: " + what + context.get(), e);
            } catch (AssertionError e) {
                last = e.getMessage();
                lastError = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError failure = new AssertionError("not true within " + bound + ": " + what
                        + (last instanceof Boolean ? "" : "; last seen: " + last) + context.get());
                if (lastError != null) {
                    failure.initCause(lastError);
                }
                throw failure;
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + what);
            }
        }
    }
}
