// Baselines the lookup benchmarks print beside their own figures, measured in the same run: a plain
// Map.get over the same keys (the floor of any in-process lookup) and Postfix's own lookup tables,
// `postmap -q -` over a cidr: or hash: table of the same entries, when Postfix is installed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How to get `postmap` when it is missing; the benches then skip the Postfix column. */
export const POSTMAP_INSTALL = 'apt-get install postfix';

/** The postmap command, or null: root's PATH has /usr/sbin, a user's often has not. */
export const POSTMAP = ['postmap', '/usr/sbin/postmap'].find((command) => spawnSync(command, ['-q', 'x', 'static:y']).status === 0) ?? null;

/** One line saying whether the Postfix columns are measured, and how to get them when not. */
export function postmapNote() {
  return POSTMAP === null
    ? `postmap is not installed: no Postfix columns (${POSTMAP_INSTALL})`
    : `Postfix: ${POSTMAP} -q - over a cidr: or hash: table of the same entries, keys on standard input (start-up subtracted)`;
}

/** Best of three rounds of Map.get over `probes` on a Map of `keys`, in lookups per second. */
export function mapGetRate(keys, probes) {
  const map = new Map(keys.map((key, position) => [key, position]));
  let best = 0;
  let found = 0;
  for (let round = 0; round < 3; round++) {
    const start = process.hrtime.bigint();
    for (const probe of probes) if (map.get(probe) !== undefined) found++;
    best = Math.max(best, probes.length / (Number(process.hrtime.bigint() - start) / 1e9));
  }
  // Reading `found` keeps the loop from being optimised away.
  return found >= 0 ? best : 0;
}

/**
 * Lookups per second of `postmap -q -` over a table of `lines` (`key value`) of `type` (cidr or hash),
 * answering `keys`: the run with one key (start-up, reading or opening the table) is subtracted from
 * the run with all of them. Null when postmap is not installed or fails.
 */
export function postmapRate(type, lines, keys) {
  if (POSTMAP === null) return null;
  const folder = mkdtempSync(join(tmpdir(), 'imsmap-postmap-bench-'));
  try {
    const table = join(folder, 'table');
    writeFileSync(table, lines.join('\n') + '\n');
    if (type === 'hash' && spawnSync(POSTMAP, [`hash:${table}`]).status !== 0) return null;
    if (type === 'hash' && !existsSync(`${table}.db`)) return null;
    const run = (input) => {
      const start = process.hrtime.bigint();
      const result = spawnSync(POSTMAP, ['-q', '-', `${type}:${table}`], { input, maxBuffer: 1 << 28 });
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      // Exit status 1 only says some key was not found.
      return result.error || result.signal || result.status > 1 ? null : seconds;
    };
    const startup = run(`${keys[0]}\n`);
    const all = run(keys.join('\n') + '\n');
    if (startup === null || all === null) return null;
    return { rate: keys.length / Math.max(all - startup, 1e-6), startupMs: startup * 1000, sampled: keys.length };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
