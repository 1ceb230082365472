import { expect } from 'vitest';
import { AccessPolicy, TupleError, type AccessOptions, type Decision } from '../../src/access/index.js';
import { compile, type MappingSet } from '../../src/engine/compile.js';
import type { CompileOptions } from '../../src/engine/options.js';
import { hasErrors } from '../../src/syntax/diagnostics.js';
import { parseMappings } from '../../src/syntax/index.js';

/** A mappings file from its lines (examples.md blocks with their four-space indent removed). */
export function mappingsText(...lines: string[]): string {
  return lines.join('\n') + '\n';
}

/** Parses and compiles a file that must have no error diagnostics. */
export function compileText(text: string, options?: CompileOptions): MappingSet {
  const parsed = parseMappings(text, { file: 'test.mappings' });
  expect(hasErrors(parsed.diagnostics), JSON.stringify(parsed.diagnostics)).toBe(false);
  return compile(parsed, options);
}

/** examples.md conventions: default channels with localDomains ["corp.example"], default options. */
export function policyFor(text: string, options: AccessOptions = {}, compileOptions?: CompileOptions): AccessPolicy {
  const policy = AccessPolicy.create(compileText(text, compileOptions), {
    ...options,
    channels: { localDomains: ['corp.example'], ...options.channels },
  });
  if (policy instanceof TupleError) throw policy;
  return policy;
}

/** The decision, failing the test on a TupleError. */
export function decided(result: Decision | TupleError): Decision {
  if (result instanceof TupleError) throw new Error(`unexpected TupleError: ${result.message}`);
  return result;
}

/** examples.md: "the connection is server 192.0.2.25 port 25". */
export const SERVER = { serverIp: '192.0.2.25', serverPort: 25 } as const;

/** The reply as sent: `code enhanced text`, one string per line. */
export function replyText(decision: Decision): string {
  const reply = decision.reply!;
  return reply.lines.map((line) => [reply.code, reply.enhanced, line].filter((part) => part !== undefined).join(' ')).join('\n');
}
