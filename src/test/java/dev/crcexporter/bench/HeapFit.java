package dev.crcexporter.bench;

import dev.crcexporter.web.ScrapeMemory;

/**
 * How many accounts the JVM it runs in accepts, with and without the hourly series: the largest count
 * {@code ScrapeMemory.refusal} lets start. Run it with the exporter's JVM options and a heap, from the repository root:
 *   java @deploy/jvm.options -Xmx64m -cp target/crc-exporter.jar src/test/java/dev/crcexporter/bench/HeapFit.java
 * It prints "MAX_HEAP_MIB HOURLY_ACCOUNTS ACCOUNTS_WITHOUT_HOURLY".
 */
public final class HeapFit {
    private HeapFit() {}

    public static void main(String[] args) {
        long heap = Runtime.getRuntime().maxMemory();
        System.out.println((heap >> 20) + " " + largest(true, heap) + " " + largest(false, heap));
    }

    private static int largest(boolean hourly, long heap) {
        int fits = 0;
        int refused = 10_000_000;
        while (refused - fits > 1) {
            int middle = (fits + refused) >>> 1;
            if (ScrapeMemory.refusal(middle, hourly, heap).isEmpty()) {
                fits = middle;
            } else {
                refused = middle;
            }
        }
        return fits;
    }
}
