// A deliberately simple matcher written straight from format.md P10, for differential tests and
// as the benchmark's baseline: plain recursive backtracking, no memo, no shortcuts. It shares no
// code with src/compile: characters come from Array.from, IP text is judged by node:net.
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import type { CharClass, IpItem, PatternItem } from '../../src/syntax/ast.js';

/** P1: ASCII-only folding of one character. */
function fold(char: string): string {
  return char >= 'A' && char <= 'Z' && char.length === 1 ? char.toLowerCase() : char;
}

/** P3/P5: the character or its ASCII case counterpart is a member. */
function classHas(charClass: CharClass, char: string): boolean {
  if (charClass.kind === 'any') return true;
  const lower = fold(char);
  const upper = lower >= 'a' && lower <= 'z' ? lower.toUpperCase() : lower;
  return [lower, upper].some((candidate) => {
    const code = candidate.codePointAt(0)!;
    return charClass.ranges.some(([low, high]) => code >= low && code <= high);
  });
}

const blockLists = new WeakMap<IpItem, BlockList>();

/** P9.2/P9.3 through node:net: strict text forms, and BlockList maps IPv4 ⇄ ::ffff:a.b.c.d itself. */
function inSubnet(item: IpItem, text: string): boolean {
  let list = blockLists.get(item);
  if (list === undefined) {
    list = new BlockList();
    const network =
      item.family === 'ipv4'
        ? item.network.join('.')
        : Array.from({ length: 8 }, (_, group) => ((item.network[2 * group] << 8) | item.network[2 * group + 1]).toString(16)).join(':');
    list.addSubnet(network, item.prefixLength, item.family);
    blockLists.set(item, list);
  }
  if (isIPv4(text)) return list.check(text, 'ipv4');
  return isIPv6(text) && list.check(text, 'ipv6');
}

const ADDRESS_CHAR = /^[0-9a-fA-F.:]$/;

/** Captures of the P10 match of `items` against `input`, or null: the first success of a depth-first search. */
export function referenceMatch(items: readonly PatternItem[], input: string): string[] | null {
  const chars = Array.from(input);
  const starts: number[] = [];
  const ends: number[] = [];

  const attempt = (index: number, position: number): boolean => {
    if (index === items.length) return position === chars.length;
    const item = items[index];
    const tryEnd = (end: number): boolean => {
      starts[index] = position;
      ends[index] = end;
      return attempt(index + 1, end);
    };
    switch (item.kind) {
      case 'literal': {
        const literal = Array.from(item.text);
        const fits = literal.every((char, j) => position + j < chars.length && fold(chars[position + j]) === fold(char));
        return fits && tryEnd(position + literal.length);
      }
      case 'wildcard': {
        if (item.width === 'one') return position < chars.length && classHas(item.charClass, chars[position]) && tryEnd(position + 1);
        let longest = position;
        while (longest < chars.length && classHas(item.charClass, chars[longest])) longest++;
        const lengths = Array.from({ length: longest - position + 1 }, (_, taken) => position + taken);
        if (!item.lazy) lengths.reverse();
        return lengths.some(tryEnd);
      }
      case 'backmatch': {
        const saved = items.findIndex((other) => other.kind !== 'literal' && other.kind !== 'backmatch' && other.capture === item.ref);
        const text = chars.slice(starts[saved], ends[saved]);
        const fits = text.every((char, j) => position + j < chars.length && fold(chars[position + j]) === fold(char));
        return fits && tryEnd(position + text.length);
      }
      case 'ip': {
        let end = position;
        while (end < chars.length && ADDRESS_CHAR.test(chars[end])) end++;
        return end > position && inSubnet(item, chars.slice(position, end).join('')) && tryEnd(end);
      }
    }
  };

  if (!attempt(0, 0)) return null;
  const captures: string[] = [];
  items.forEach((item, index) => {
    if ((item.kind === 'wildcard' || item.kind === 'ip') && item.capture !== null) {
      captures[item.capture] = chars.slice(starts[index], ends[index]).join('');
    }
  });
  return Array.from(captures, (capture) => capture ?? '');
}
