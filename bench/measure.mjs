// Shared timing helpers for the benchmark scripts: every figure is printed next to a baseline
// measured in the same run, because these machines are noisy.

/** Runs fn repeatedly for at least minMs and returns operations per second. */
export function opsPerSecond(fn, minMs = 500) {
  let count = 0;
  let batch = 1;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < batch; i++) fn(count + i);
    count += batch;
    batch = Math.min(batch * 2, 1 << 16);
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return (count / elapsed) * 1000;
}

/** Times one call of fn in milliseconds. */
export function timeOnce(fn) {
  const start = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

/** Heap bytes in use after a full collection (needs --expose-gc). */
export function heapUsed() {
  globalThis.gc?.();
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
}

/** Formats a number with thousands separators. */
export function fmt(n, digits = 0) {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}
