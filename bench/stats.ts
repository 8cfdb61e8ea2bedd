/** Small shared helpers for the benchmarks: percentiles and bounded timing loops. */

/** The p-th percentile (nearest rank) of ascending samples. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

/** Runs `fn` n times one after another; returns each call's milliseconds (ascending) and the wall time. */
export async function timeSequential(n: number, fn: (i: number) => Promise<unknown>): Promise<{ samples: number[]; wallMs: number }> {
  const samples: number[] = [];
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    samples.push(performance.now() - t);
  }
  return { samples: samples.sort((a, b) => a - b), wallMs: performance.now() - started };
}

export const fmt = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(2) : '-');

/** Prints rows as an aligned text table. */
export function printTable(headers: string[], rows: (string | number)[][]): void {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, c) => Math.max(...cells.map((r) => r[c].length)));
  const line = (r: string[]) => r.map((v, c) => (c === 0 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join('  ');
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of cells.slice(1)) console.log(line(r));
}

/** `name: value` split in two; refuses what would not stay one header line (wrk's Lua, or Node, would mangle it). */
export function splitHeader(line: string): [string, string] {
  const i = line.indexOf(':');
  if (i <= 0 || !/^[\x20-\x7e]+$/.test(line)) throw new Error(`not a header line: ${JSON.stringify(line)}`);
  return [line.slice(0, i).trim(), line.slice(i + 1).trim()];
}

/** Runs a benchmark's main and exits: 0 when it finished, 1 (with the stack) when it failed. */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
