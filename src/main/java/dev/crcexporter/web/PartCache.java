package dev.crcexporter.web;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One part of a scrape rendered once per source and variant, and kept while that source is current. The source is
 * an immutable object that changes identity when its content changes (a {@code CrcMetrics.View}, the JVM
 * snapshots of the last second); the first request that sees a new one drops everything rendered from the old.
 *
 * <p>Bounds: at most one part per {@link Variant}, and at most {@code budgetBytes} in all. A part that does not
 * fit into what is left is not kept: the caller renders it for its own request (streamed, for the CRC part).
 */
final class PartCache {
    interface Renderer {
        void render(OutputStream out) throws IOException;
    }

    private final long budgetBytes;
    private final AtomicReference<Generation> current = new AtomicReference<>();

    /** What is kept for one source. A future per variant: requests of the same variant wait for the one rendering. */
    private static final class Generation {
        final Object source;
        final AtomicReferenceArray<CompletableFuture<Part>> parts = new AtomicReferenceArray<>(Variant.COUNT);
        final AtomicLong free;
        final AtomicInteger rendering = new AtomicInteger();

        Generation(Object source, long budget) {
            this.source = source;
            this.free = new AtomicLong(budget);
        }
    }

    PartCache(long budgetBytes) {
        this.budgetBytes = budgetBytes;
    }

    /** Bytes kept now: never more than the budget. */
    long keptBytes() {
        Generation generation = current.get();
        return generation == null ? 0 : budgetBytes - generation.free.get();
    }

    /** The part rendered from {@code source} for {@code variant}, rendering it if needed; null when it does not fit. */
    Part get(Object source, Variant variant, Renderer renderer) throws IOException {
        Generation generation = generationOf(source);
        int slot = variant.index();
        CompletableFuture<Part> part = generation.parts.get(slot);
        if (part == null) {
            CompletableFuture<Part> mine = new CompletableFuture<>();
            part = generation.parts.compareAndExchange(slot, null, mine);
            if (part == null) {
                render(generation, slot, mine, renderer);
                part = mine;
            }
        }
        try {
            return part.join();
        } catch (CompletionException e) {
            // The request that rendered has failed already; the others fail the same way.
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    private Generation generationOf(Object source) {
        while (true) {
            Generation generation = current.get();
            if (generation != null && generation.source == source) {
                return generation;
            }
            Generation fresh = new Generation(source, budgetBytes);
            if (current.compareAndSet(generation, fresh)) {
                return fresh;
            }
        }
    }

    private void render(Generation generation, int slot, CompletableFuture<Part> mine, Renderer renderer)
            throws IOException {
        // Takes all the room left: the part's size is known only once rendered. Another variant rendering at the
        // same moment finds no room and is not kept this time; it is tried again by a later request.
        boolean contended = generation.rendering.getAndIncrement() > 0;
        long room = generation.free.getAndSet(0);
        try {
            Part.Builder out = new Part.Builder(room);
            renderer.render(out);
            Part part = out.build();
            generation.free.addAndGet(room - part.length());
            mine.complete(part);
        } catch (Part.TooLarge e) {
            generation.free.addAndGet(room);
            if (contended || room == 0) {
                generation.parts.compareAndSet(slot, mine, null);
            }
            mine.complete(null);
        } catch (IOException | RuntimeException e) {
            generation.free.addAndGet(room);
            generation.parts.compareAndSet(slot, mine, null);
            mine.completeExceptionally(e);
            throw e;
        } finally {
            generation.rendering.decrementAndGet();
        }
    }
}
