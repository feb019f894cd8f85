// Lets timers, sockets and acks run between slices of heavy work (ingest processing, digest building).
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
