/**
 * The polling loop and the state scrapes read: {@code Poller} asks every account on its interval with retries
 * ({@code upstream.RetryPolicy}), and {@code SnapshotStore} swaps one immutable set of {@code AccountSnapshot}s
 * atomically; {@code DateWindow} cuts yesterday and today in an account&apos;s zone. May import {@code config} and
 * {@code upstream}.
 */
package dev.crcexporter.poll;
