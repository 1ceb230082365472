import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ISerializedGast } from 'chevrotain';
import { describe, expect, test } from 'vitest';
import { lineParser } from '../../src/syntax/parser.js';
import { patternParser } from '../../src/syntax/pattern/parser.js';
import { templateParser } from '../../src/syntax/template/parser.js';

// grammar/mappings.ebnf is written by hand; this keeps its names in step with the Chevrotain
// grammars it describes, so a new rule or token cannot go undocumented.

const EBNF = readFileSync(fileURLToPath(new URL('../../grammar/mappings.ebnf', import.meta.url)), 'utf8');

/** The names the EBNF defines (`name ::= …` at the start of a line). */
const defined = new Set([...EBNF.matchAll(/^([A-Za-z][A-Za-z0-9]*)\s+::=/gm)].map((match) => match[1]));

/** Every rule and token name a serialized Chevrotain grammar uses. */
function namesIn(productions: ISerializedGast[]): { rules: Set<string>; tokens: Set<string> } {
  const rules = new Set<string>();
  const tokens = new Set<string>();
  const visit = (node: ISerializedGast): void => {
    // Rules, rule references and terminals are the productions that carry a name.
    if ('name' in node && typeof node.name === 'string') (node.type === 'Terminal' ? tokens : rules).add(node.name);
    for (const child of node.definition ?? []) visit(child);
  };
  productions.forEach(visit);
  return { rules, tokens };
}

const GRAMMARS = {
  'logical lines': lineParser,
  patterns: patternParser,
  templates: templateParser,
};

describe('grammar/mappings.ebnf defines every name of the Chevrotain grammars', () => {
  for (const [layer, parser] of Object.entries(GRAMMARS)) {
    test(layer, () => {
      const { rules, tokens } = namesIn(parser().getSerializedGastProductions());
      expect([...rules].filter((name) => !defined.has(name))).toEqual([]);
      expect([...tokens].filter((name) => !defined.has(name))).toEqual([]);
    });
  }
});
