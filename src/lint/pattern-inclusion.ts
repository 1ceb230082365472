import ipaddr from 'ipaddr.js';
import type { CharClass, CodeRange, IpItem, PatternItem } from '../syntax/ast.js';
import { asciiUpper, otherCase } from '../syntax/case.js';
import { addressText, parseIpAddress } from '../syntax/ip.js';

// Whether every string one pattern matches is matched by another (M2: the earlier entry then always
// wins). The answer must be a proof: `true` only when the inclusion holds for every input, `false`
// when it does not or when it cannot be shown within the budget. Patterns without back-matches are
// regular apart from IP constructs, which consume the longest address run (P9.2); those are lined up
// one to one and compared as subnets, and the text between them is compared as regular languages.

/** Pairs of automaton states explored before giving up on a proof. */
const PROOF_BUDGET = 20_000;
/** State combinations explored for a witness: a probe is worth less than a proof, and a diff searches many. */
const WITNESS_BUDGET = 500;

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

/** P1, P5: a class closed under ASCII case, so that plain membership is case-blind membership. */
function caseClosed(ranges: readonly CodeRange[]): CodeRange[] {
  const closed: CodeRange[] = [...ranges];
  for (const [low, high] of ranges) {
    for (let code = Math.max(low, 0x41); code <= Math.min(high, 0x7a); code++) {
      if (otherCase(code) !== code) closed.push([otherCase(code), otherCase(code)]);
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
      const address = bounded ? parseIpAddress(run[0]) : null;
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

/**
 * The states reached from `states` (ascending) without reading: a repeated step may be passed over.
 * Steps are a chain, so a state at or below the last one reached adds nothing new.
 */
function closure(steps: readonly Step[], states: readonly number[]): number[] {
  const reached: number[] = [];
  let last = -1;
  for (let state of states) {
    if (state <= last) continue;
    reached.push(state);
    while (steps[state]?.repeated) reached.push(++state);
    last = state;
  }
  return reached;
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
 * Characters a witness prefers within an elementary interval: readable ones first, and letters that
 * cannot extend an address run (P9.2) before those that can, so that a wildcard next to an IP
 * construct does not swallow into its address.
 */
const READABLE = [...'xyzghijklmnopqrstuvw@-_abcdef0123456789.XYZGHIJKLMNOPQRSTUVWABCDEF'].map((character) => character.codePointAt(0)!);
const READABLE_RANK = new Map(READABLE.map((code, rank) => [code, rank]));

/** One code point per elementary interval of the steps, a readable one where the interval has one, the most readable first. */
function witnessCodes(steps: readonly Step[]): number[] {
  const bounds = representatives(steps);
  const codes = bounds.map((low, index) => {
    const high = (bounds[index + 1] ?? MAX_CODE_POINT + 1) - 1;
    return READABLE.find((code) => code >= low && code <= high) ?? low;
  });
  const rank = (code: number) => READABLE_RANK.get(code) ?? READABLE.length;
  return codes.sort((a, b) => rank(a) - rank(b));
}

/**
 * A shortest text that `first` accepts and that every one of `others` accepts (`othersAccept`) or
 * none of them does: a breadth-first walk over the state sets of all the patterns, one code point
 * per elementary interval, the most readable first. Null when there is none; undefined when more
 * than `budget` state combinations would have to be explored.
 */
function findText(first: readonly Step[], others: ReadonlyArray<readonly Step[]>, othersAccept: boolean, budget: number): string | null | undefined {
  const codes = witnessCodes([first, ...others].flat());
  const patterns = [first, ...others];
  const start = patterns.map((steps) => closure(steps, [0]));
  const seen = new Set<string>([start.map((set) => set.join(',')).join('|')]);
  // Texts are rebuilt from parent links: the queue holds one code point per state, not a string.
  const queue: Array<{ states: number[][]; parent: number; code: number }> = [{ states: start, parent: -1, code: 0 }];
  const textAt = (index: number): string => {
    const codesBack: number[] = [];
    for (let at = index; at > 0; at = queue[at]!.parent) codesBack.push(queue[at]!.code);
    return String.fromCodePoint(...codesBack.reverse());
  };
  for (let head = 0; head < queue.length; head++) {
    const { states } = queue[head]!;
    const accepting = states.map((set, index) => set.includes(patterns[index]!.length));
    if (accepting[0] && accepting.slice(1).every((accepts) => accepts === othersAccept)) return textAt(head);
    for (const code of codes) {
      const next = states.map((set, index) => move(patterns[index]!, set, code));
      // `first` must still be able to accept, and with `othersAccept` every other too: a dead one never comes back.
      if (next[0]!.length === 0 || (othersAccept && next.some((set) => set.length === 0))) continue;
      const key = next.map((set) => set.join(',')).join('|');
      if (seen.has(key)) continue;
      if (seen.size >= budget) return undefined;
      seen.add(key);
      queue.push({ states: next, parent: head, code });
    }
  }
  return null;
}

/** Regular inclusion of one stretch in another: no text `inner` accepts that `outer` rejects. Null when the budget runs out. */
function stretchIncluded(inner: readonly Step[], outer: readonly Step[]): boolean | null {
  const counterexample = findText(inner, [outer], false, PROOF_BUDGET);
  return counterexample === undefined ? null : counterexample === null;
}

/** The steps a witness is searched over: an IP construct stands for one address, a back-match defeats the search. */
function witnessSteps(items: readonly PatternItem[], addressOf: (item: IpItem) => string): Step[] | null {
  const steps: Step[] = [];
  for (const item of items) {
    if (item.kind === 'backmatch') return null;
    steps.push(...(item.kind === 'ip' ? literalSteps(addressOf(item)) : itemSteps(item)));
  }
  return steps;
}

/**
 * The address each IP construct of a search stands for: the network address of the narrowest subnet
 * among all the patterns' that lies inside its own, so that nested subnets share an address and
 * their patterns can meet on it.
 */
function sharedAddresses(patterns: ReadonlyArray<readonly PatternItem[]>): (item: IpItem) => string {
  const subnets = patterns.flat().filter((item): item is IpItem => item.kind === 'ip');
  return (item) => {
    const narrowest = subnets
      .filter((other) => subnetContains(item, other))
      .reduce((best, other) => (other.prefixLength > best.prefixLength ? other : best), item);
    return addressText(narrowest.network);
  };
}

/**
 * A shortest text `pattern` matches that every one of `others` also matches (`othersMatch`) or that
 * none of them matches: what tells entries apart, what an entry decides past the earlier ones, or
 * where the order of two entries matters (M2). Null when there is none or it cannot be found
 * (back-matches, the search budget; an IP construct stands for one address of its subnet only).
 */
export function witnessText(
  pattern: readonly PatternItem[],
  others: ReadonlyArray<readonly PatternItem[]>,
  othersMatch: boolean,
): string | null {
  const addressOf = sharedAddresses([pattern, ...others]);
  const first = witnessSteps(pattern, addressOf);
  const rest = others.map((items) => witnessSteps(items, addressOf));
  if (first === null || rest.some((steps) => steps === null)) return null;
  return findText(first, rest as Step[][], othersMatch, WITNESS_BUDGET) ?? null;
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

/** A character of a class, the most readable one (not a hex letter when it can help it, P9.2) or else its first. */
function classCode(ranges: readonly CodeRange[]): number {
  return READABLE.find((code) => ranges.some(([low, high]) => code >= low && code <= high)) ?? ranges[0]![0];
}

/** How {@link sampleInput} fills the items that accept more than one text. */
export interface SampleChoices {
  /** The address an IP construct stands for; default the subnet's network address. */
  address?: (item: IpItem) => string | undefined;
  /** The text of a `*`: default none (a class-restricted `*` gets its first character when this is not empty). */
  many?: string;
  /** The character of a `%`; default `x`, not a hex letter: next to an IP construct it must not extend the address run (P9.2). */
  one?: string;
}

/** A text the pattern matches, used as a quick necessary test before a proof: every item at its shortest unless `choices` say otherwise. */
export function sampleInput(items: readonly PatternItem[], choices: SampleChoices = {}): string {
  const captures: string[] = [];
  let text = '';
  for (const item of items) {
    let piece = '';
    if (item.kind === 'literal') piece = item.text;
    else if (item.kind === 'backmatch') piece = captures[item.ref] ?? '';
    else if (item.kind === 'ip') piece = choices.address?.(item) ?? addressText(item.network);
    else {
      const text = item.width === 'one' ? (choices.one ?? 'x') : (choices.many ?? '');
      if (item.charClass.kind === 'any') piece = text;
      else if (text !== '') piece = String.fromCodePoint(classCode(item.charClass.ranges));
    }
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
      literal += asciiUpper(item.text);
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
  // Only stars can match the empty string and every text: the proof is run for those patterns alone.
  if (!items.every((item) => item.kind === 'wildcard' && item.width === 'many')) return false;
  return patternCovers(items, [ANY_STAR]);
}

const ANY_STAR: PatternItem = { kind: 'wildcard', width: 'many', charClass: { kind: 'any' }, lazy: false, capture: 0, offset: 0, length: 1 };
