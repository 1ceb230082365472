import ipaddr from 'ipaddr.js';
import type { CharClass, CodeRange, IpItem, PatternItem } from '../syntax/ast.js';
import { parseStrictIpAddress } from '../syntax/pattern/index.js';

// Whether every string one pattern matches is matched by another (M2: the earlier entry then always
// wins). The answer must be a proof: `true` only when the inclusion holds for every input, `false`
// when it does not or when it cannot be shown within the budget. Patterns without back-matches are
// regular apart from IP constructs, which consume the longest address run (P9.2); those are lined up
// one to one and compared as subnets, and the text between them is compared as regular languages.

/** Pairs of automaton states explored before giving up on a proof. */
const PROOF_BUDGET = 20_000;

const MAX_CODE_POINT = 0x10ffff;
const ANY_CHARACTER: readonly CodeRange[] = [[0, MAX_CODE_POINT]];
/** P9.2: the characters of an address run. */
const ADDRESS_CHARACTERS: readonly CodeRange[] = [
  [0x2e, 0x2e],
  [0x30, 0x3a],
  [0x41, 0x46],
  [0x61, 0x66],
];

/** One position of a regular stretch: a character from `ranges`, once or any number of times. */
interface Step {
  ranges: readonly CodeRange[];
  repeated: boolean;
}

/** A pattern cut at its IP constructs: `stretches.length === addresses.length + 1`. */
interface Shape {
  stretches: Step[][];
  addresses: IpItem[];
}

const isAsciiLetter = (code: number) => (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);

/** P1, P5: a class closed under ASCII case, so that plain membership is case-blind membership. */
function caseClosed(ranges: readonly CodeRange[]): CodeRange[] {
  const closed: CodeRange[] = [...ranges];
  for (const [low, high] of ranges) {
    for (let code = Math.max(low, 0x41); code <= Math.min(high, 0x7a); code++) {
      if (isAsciiLetter(code)) closed.push([code ^ 0x20, code ^ 0x20]);
    }
  }
  return closed;
}

function classRanges(charClass: CharClass): readonly CodeRange[] {
  return charClass.kind === 'any' ? ANY_CHARACTER : caseClosed(charClass.ranges);
}

function literalSteps(text: string): Step[] {
  return [...text].map((character) => {
    const code = character.codePointAt(0)!;
    return { ranges: caseClosed([[code, code]]), repeated: false };
  });
}

/** The steps of one item that is not an IP construct; a back-match is widened to `*`. */
function itemSteps(item: Exclude<PatternItem, IpItem>): Step[] {
  switch (item.kind) {
    case 'literal':
      return literalSteps(item.text);
    case 'wildcard':
      return [{ ranges: classRanges(item.charClass), repeated: item.width === 'many' }];
    case 'backmatch':
      // A superset of what the back-match accepts: proving more than needed keeps the proof sound.
      return [{ ranges: ANY_CHARACTER, repeated: true }];
  }
}

/** Cuts items into the shape the proof works on; IP constructs stay constructs or widen to address runs. */
function shapeOf(items: readonly PatternItem[], keepAddresses: boolean): Shape {
  const shape: Shape = { stretches: [[]], addresses: [] };
  for (const item of items) {
    const current = shape.stretches[shape.stretches.length - 1]!;
    if (item.kind !== 'ip') current.push(...itemSteps(item));
    else if (!keepAddresses) current.push({ ranges: ADDRESS_CHARACTERS, repeated: true });
    else {
      shape.addresses.push(item);
      shape.stretches.push([]);
    }
  }
  return shape;
}

/** Adjacent literal items joined (the parser may split `a$*b` into three), so that neighbours are never literals. */
function joinedLiterals(items: readonly PatternItem[]): PatternItem[] {
  const joined: PatternItem[] = [];
  for (const item of items) {
    const previous = joined[joined.length - 1];
    if (item.kind === 'literal' && previous?.kind === 'literal') joined[joined.length - 1] = { ...previous, text: previous.text + item.text };
    else joined.push(item);
  }
  return joined;
}

const ADDRESS_RUN = /[0-9A-Fa-f.:]+/g;

/**
 * The items with every literal address that stands alone turned into a one-address IP construct,
 * so that `192.0.2.1` can be lined up with an earlier `$(192.0.2.0/24)`. Alone means bounded on both
 * sides by a literal character that is not an address character, or by an end of the pattern: the
 * address run an IP construct would consume there is then exactly this text (P9.2).
 */
function withLiteralAddresses(items: readonly PatternItem[]): PatternItem[] {
  const joined = joinedLiterals(items);
  const result: PatternItem[] = [];
  joined.forEach((item, index) => {
    if (item.kind !== 'literal') {
      result.push(item);
      return;
    }
    let copied = 0;
    for (const run of item.text.matchAll(ADDRESS_RUN)) {
      const start = run.index;
      const end = start + run[0].length;
      const bounded = (start > 0 || index === 0) && (end < item.text.length || index === joined.length - 1);
      const address = bounded ? parseStrictIpAddress(run[0]) : null;
      if (!address) continue;
      if (start > copied) result.push({ ...item, text: item.text.slice(copied, start) });
      const network = address.toByteArray();
      result.push({
        kind: 'ip',
        form: 'prefix',
        family: address.kind(),
        address: run[0],
        prefixLength: network.length * 8,
        network,
        capture: null,
        offset: item.offset,
        length: 0,
      });
      copied = end;
    }
    if (copied < item.text.length) result.push({ ...item, text: item.text.slice(copied) });
  });
  return result;
}

/** P9.3 within one family: whether the subnet of `inner` lies inside the subnet of `outer`. */
function subnetContains(outer: IpItem, inner: IpItem): boolean {
  if (outer.family !== inner.family || outer.prefixLength > inner.prefixLength) return false;
  const innerNetwork = ipaddr.fromByteArray([...inner.network]);
  return innerNetwork.match(ipaddr.fromByteArray([...outer.network]), outer.prefixLength);
}

/** The elementary intervals of the code points that no range boundary splits, one representative each. */
function representatives(steps: readonly Step[]): number[] {
  const bounds = new Set<number>([0]);
  for (const step of steps) {
    for (const [low, high] of step.ranges) {
      bounds.add(low);
      if (high < MAX_CODE_POINT) bounds.add(high + 1);
    }
  }
  return [...bounds].sort((a, b) => a - b);
}

function accepts(step: Step, code: number): boolean {
  return step.ranges.some(([low, high]) => code >= low && code <= high);
}

/** The states reached from `states` without reading: a repeated step may be passed over. */
function closure(steps: readonly Step[], states: Iterable<number>): number[] {
  const reached = new Set<number>();
  for (let state of states) {
    reached.add(state);
    while (steps[state]?.repeated) reached.add(++state);
  }
  return [...reached].sort((a, b) => a - b);
}

function move(steps: readonly Step[], states: readonly number[], code: number): number[] {
  const next: number[] = [];
  for (const state of states) {
    const step = steps[state];
    if (step && accepts(step, code)) next.push(step.repeated ? state : state + 1);
  }
  return closure(steps, next);
}

/**
 * Regular inclusion of one stretch in another: explores pairs (state of `inner`, set of states of
 * `outer`) over one representative per elementary interval. A pair where `inner` accepts and `outer`
 * does not disproves it. Null when the budget runs out.
 */
function stretchIncluded(inner: readonly Step[], outer: readonly Step[]): boolean | null {
  const codes = representatives([...inner, ...outer]);
  const innerEnd = inner.length;
  const outerEnd = outer.length;
  const seen = new Set<string>();
  const pending: Array<[number, number[]]> = [];
  const outerStart = closure(outer, [0]);
  for (const state of closure(inner, [0])) pending.push([state, outerStart]);
  while (pending.length > 0) {
    const [state, outerStates] = pending.pop()!;
    const key = `${state}|${outerStates.join(',')}`;
    if (seen.has(key)) continue;
    if (seen.size >= PROOF_BUDGET) return null;
    seen.add(key);
    if (state === innerEnd && !outerStates.includes(outerEnd)) return false;
    for (const code of codes) {
      const innerNext = move(inner, [state], code);
      if (innerNext.length === 0) continue;
      const outerNext = move(outer, outerStates, code);
      for (const next of innerNext) pending.push([next, outerNext]);
    }
  }
  return true;
}

/**
 * Whether every string `later` matches is matched by `earlier` (proved; false when not provable).
 * Back-matches in `earlier` defeat the proof; in `later` they are widened to `*`.
 */
export function patternCovers(earlier: readonly PatternItem[], later: readonly PatternItem[]): boolean {
  if (earlier.some((item) => item.kind === 'backmatch')) return false;
  const earlierHasAddresses = earlier.some((item) => item.kind === 'ip');
  const outer = shapeOf(earlier, earlierHasAddresses);
  const inner = shapeOf(earlierHasAddresses ? withLiteralAddresses(later) : later, earlierHasAddresses);
  if (inner.addresses.length !== outer.addresses.length) return false;
  if (!outer.addresses.every((address, index) => subnetContains(address, inner.addresses[index]!))) return false;
  return outer.stretches.every((stretch, index) => stretchIncluded(inner.stretches[index]!, stretch) === true);
}

/** A text the pattern matches, used as a quick necessary test before a proof: every item at its shortest. */
export function sampleInput(items: readonly PatternItem[]): string {
  const captures: string[] = [];
  let text = '';
  for (const item of items) {
    let piece = '';
    if (item.kind === 'literal') piece = item.text;
    else if (item.kind === 'backmatch') piece = captures[item.ref] ?? '';
    else if (item.kind === 'ip') piece = ipaddr.fromByteArray([...item.network]).toString();
    else if (item.width === 'one') piece = item.charClass.kind === 'any' ? 'a' : String.fromCodePoint(item.charClass.ranges[0]![0]);
    if (item.kind !== 'literal' && item.kind !== 'backmatch' && item.capture !== null) captures[item.capture] = piece;
    text += piece;
  }
  return text;
}

/** A key equal for two patterns that match the same strings by construction (same items, literals case-folded). */
export function patternKey(items: readonly PatternItem[]): string {
  const parts: string[] = [];
  let literal = '';
  for (const item of items) {
    if (item.kind === 'literal') {
      literal += item.text.replace(/[a-z]+/g, (letters) => letters.toUpperCase());
      continue;
    }
    if (literal !== '') parts.push(`L${JSON.stringify(literal)}`);
    literal = '';
    if (item.kind === 'wildcard') parts.push(`W${item.width}${JSON.stringify(item.charClass)}`);
    else if (item.kind === 'backmatch') parts.push(`B${item.ref}`);
    else parts.push(`I${item.family}/${item.prefixLength}/${item.network.join('.')}`);
  }
  if (literal !== '') parts.push(`L${JSON.stringify(literal)}`);
  return parts.join(' ');
}

/** Whether a pattern matches every string. */
export function matchesEverything(items: readonly PatternItem[]): boolean {
  return patternCovers(items, [ANY_STAR]);
}

const ANY_STAR: PatternItem = { kind: 'wildcard', width: 'many', charClass: { kind: 'any' }, lazy: false, capture: 0, offset: 0, length: 1 };
