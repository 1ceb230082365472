import { asciiUpper } from '../syntax/case.js';
import type { DatabaseProvider, Routine, SequenceProvider } from './options.js';

/** An in-memory general database (T11 default) whose keys compare case-blind; `values` is keyed upper-case. */
export type GeneralDatabase = DatabaseProvider & { readonly values: ReadonlyMap<string, string> };

/** Builds the default `${key}` provider from key/value pairs; values are template text (T11). */
export function createGeneralDatabase(entries: Iterable<readonly [string, string]> | Record<string, string>): GeneralDatabase {
  const values = new Map<string, string>();
  const pairs = Symbol.iterator in entries ? entries : Object.entries(entries);
  for (const [key, value] of pairs as Iterable<readonly [string, string]>) values.set(asciiUpper(key), value);
  const lookup = (key: string): string | null => values.get(asciiUpper(key)) ?? null;
  return Object.assign(lookup, { values });
}

/** F8 item 3 for a database value: unquoted spaces and tabs go, `$` keeps the character after it. */
function removeUnquotedWhitespace(text: string): string {
  return text.replace(/(\$[^])|[ \t]+/g, (_whole, quoted: string | undefined) => quoted ?? '');
}

/**
 * Reads `general.txt`-style text (T11): `!` comment lines and blank lines are skipped; otherwise the key
 * is the first run of non-white-space characters and the value is the rest of the line, with unquoted
 * white space removed as in a template (F8).
 */
export function parseGeneralDatabase(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const rawLine of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = rawLine.replace(/^[ \t]+/, '');
    if (line === '' || line.startsWith('!')) continue;
    const keyEnd = line.search(/[ \t]/);
    const key = keyEnd < 0 ? line : line.slice(0, keyEnd);
    const value = keyEnd < 0 ? '' : removeUnquotedWhitespace(line.slice(keyEnd));
    if (!entries.has(asciiUpper(key))) entries.set(asciiUpper(key), value);
  }
  return entries;
}

/** An in-memory sequence provider for tests: only the files given exist; `counters` shows the current values. */
export function memorySequence(
  initial: Record<string, number>,
): SequenceProvider & { readonly counters: Map<string, number> } {
  const counters = new Map(Object.entries(initial));
  const next = (file: string): number | null => {
    const current = counters.get(file);
    if (current === undefined) return null;
    counters.set(file, current + 1);
    return current + 1;
  };
  return Object.assign(next, { counters });
}

/**
 * Writes a sequence value as `$#file|radix|width|m#` asks (T11): modulo m, in base |radix| with upper-case
 * letters for a positive radix and lower-case for a negative one, left-padded with `0` to `width`.
 */
export function formatSequenceValue(value: number, radix: number, width: number, modulus: number | null): string {
  const reduced = modulus === null ? value : ((value % modulus) + modulus) % modulus;
  const digits = reduced.toString(Math.abs(radix));
  const cased = radix > 0 ? digits.toUpperCase() : digits;
  return cased.startsWith('-') ? '-' + cased.slice(1).padStart(width - 1, '0') : cased.padStart(width, '0');
}

/** Finds the routine for `$[image,routine,…]` (T10 item 1): an exact `image,routine` key wins over the name alone. */
export function resolveRoutine(
  routines: Readonly<Record<string, Routine>>,
  image: string,
  routine: string,
): Routine | undefined {
  const exact = `${image},${routine}`;
  if (Object.hasOwn(routines, exact)) return routines[exact];
  return Object.hasOwn(routines, routine) ? routines[routine] : undefined;
}
