import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { accessOptionsSchema } from '../access/schemas.js';

// Rule tests for users: a JSON file of cases, each a table and probe with the mapping result expected,
// or a decide tuple with the decision expected. The JSON Schema in docs/case-file.schema.json is
// generated from these zod schemas (caseFileJsonSchema), and a test fails when it is stale.

const flagLetter = z.string().regex(/^.$/u, { error: 'must be one flag character' });

/** What a probe case expects of the mapping result (M1); fields left out are not checked. */
export const mappingExpectationSchema = z
  .strictObject({
    output: z.string().optional().describe('The output string.'),
    flags: z
      .array(flagLetter)
      .optional()
      .describe('The output flags, e.g. ["Y"]; [] for none. Compared as a set; letters are case-blind (T7).'),
    matched: z.boolean().optional().describe('Whether any entry matched.'),
    entry: z
      .number()
      .int()
      .min(1)
      .nullable()
      .optional()
      .describe('1-based index of the entry whose step produced the output; null when none did.'),
    error: z
      .string()
      .nullable()
      .optional()
      .describe('The evaluation error code (M7), e.g. "StepLimitExceeded"; null for none.'),
  })
  .describe('The expected mapping result; fields left out are not checked.');

/** What a decide case expects of the decision (A28); fields left out are not checked. */
export const decisionExpectationSchema = z
  .strictObject({
    action: z.enum(['accept', 'reject']).optional(),
    temporary: z.boolean().optional().describe('A rejection with a 4xx code.'),
    closeConnection: z.boolean().optional().describe('A connect-stage rejection (A19).'),
    code: z.number().int().min(200).max(599).optional().describe('The reply code, e.g. 550.'),
    enhanced: z
      .string()
      .regex(/^[245]\.\d{1,3}\.\d{1,3}$/, { error: 'must be an enhanced status code like 5.7.1' })
      .optional()
      .describe('The enhanced status code, e.g. "5.7.1".'),
    text: z.string().optional().describe('The reply text without codes; lines joined with "\\n".'),
    reply: z
      .string()
      .optional()
      .describe('The reply as sent, e.g. "550 5.7.1 Relaying not allowed: b@other.example"; lines joined with "\\n".'),
    delay: z
      .strictObject({ centiseconds: z.number().int().min(1), scope: z.enum(['transaction', 'reply']) })
      .nullable()
      .optional()
      .describe('The $D delay (A20); null for none.'),
    srcChannel: z.string().optional(),
    dstChannel: z.string().optional(),
    internal: z.boolean().optional().describe('Connect stage: the INTERNAL_IP verdict (A25).'),
    info: z.string().optional().describe('The text returned with an accepting result (A26).'),
  })
  .describe('The expected decision; fields left out are not checked.');

const caseName = z.string().min(1).optional().describe('Shown in the report; default: the probe or the tuple.');

/** A case that maps one probe through one table. */
export const probeCaseSchema = z
  .strictObject({
    name: caseName,
    table: z.string().min(1).describe('The table to map through, e.g. "PORT_ACCESS".'),
    probe: z.string().describe('The input string.'),
    inputFlags: z
      .string()
      .regex(/^[A-Za-z]*$/, { error: 'must be letters' })
      .optional()
      .describe('Input flags tested by $:x / $;x (T6), e.g. "AE".'),
    expect: mappingExpectationSchema,
  })
  .describe('Maps a probe through a table, as `imsmap test` does.');

/** A case that decides one stage tuple. */
export const decideCaseSchema = z
  .strictObject({
    name: caseName,
    decide: z
      .looseObject({ stage: z.enum(['connect', 'mail', 'rcpt']) })
      .describe('A tuple as `imsmap decide` reads it: "stage" and the A27 fields, flat.'),
    expect: decisionExpectationSchema,
  })
  .describe('Decides a connect, MAIL FROM or RCPT TO tuple, as `imsmap decide` does.');

/** A case file: options for the decide cases, and the cases. */
export const caseFileSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Where editors find this schema.'),
    description: z.string().optional(),
    options: accessOptionsSchema.optional().describe('Access options (A27) of the decide cases.'),
    cases: z.array(z.union([probeCaseSchema, decideCaseSchema])).min(1, { error: 'must hold at least one case' }),
  })
  .meta({ title: 'imsmap rule tests', description: 'Cases `imsmap check` runs against a mappings file.' });

export type MappingExpectation = z.infer<typeof mappingExpectationSchema>;
export type DecisionExpectation = z.infer<typeof decisionExpectationSchema>;
export type ProbeCase = z.infer<typeof probeCaseSchema>;
export type DecideCase = z.infer<typeof decideCaseSchema>;
export type TestCase = ProbeCase | DecideCase;
/** A validated case file. */
export type CaseFile = z.infer<typeof caseFileSchema>;

/** The JSON Schema of case files (committed as docs/case-file.schema.json). */
export function caseFileJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(caseFileSchema, { io: 'input', target: 'draft-2020-12' });
}

/** One problem of a case file: where (`cases[2].expect.flags`) and why. */
export interface CaseFileIssue {
  path: string;
  message: string;
}

/** A case file that cannot be used: unreadable, not JSON, or not valid. */
export class CaseFileError extends Error {
  override name = 'CaseFileError';
  constructor(
    readonly file: string,
    readonly issues: CaseFileIssue[],
  ) {
    super(issues.map((issue) => `${file}${issue.path === '' ? '' : ` ${issue.path}`}: ${issue.message}`).join('\n'));
  }
}

/** Validates parsed JSON as a case file; problems are returned with their paths, never thrown. */
export function parseCaseFile(value: unknown, file = '<cases>'): CaseFile | CaseFileError {
  const parsed = caseFileSchema.safeParse(value);
  return parsed.success ? parsed.data : new CaseFileError(file, issuesOf(parsed.error.issues, value));
}

/** Reads and validates a case file. */
export function loadCaseFile(file: string): CaseFile | CaseFileError {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return new CaseFileError(file, [{ path: '', message: `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})` }]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return new CaseFileError(file, [{ path: '', message: `not valid JSON: ${(error as Error).message}` }]);
  }
  return parseCaseFile(value, file);
}

/**
 * Zod reports a case matching neither kind as one union issue holding both branches' issues. The case
 * says which kind it meant — a `decide` field or not — so only that branch's issues are shown.
 */
function issuesOf(issues: readonly z.core.$ZodIssue[], root: unknown): CaseFileIssue[] {
  return issues.flatMap((issue): CaseFileIssue[] => {
    if (issue.code === 'invalid_union' && issue.errors.length === 2) {
      const meantDecide = isObject(valueAt(root, issue.path)) && 'decide' in (valueAt(root, issue.path) as object);
      const branch = issue.errors[meantDecide ? 1 : 0]!;
      return issuesOf(
        branch.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] })),
        root,
      );
    }
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: z.core.toDotPath([...issue.path, key]), message: 'is not a known field' }));
    }
    return [{ path: z.core.toDotPath(issue.path), message: issue.message }];
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((value, key) => (value as Record<PropertyKey, unknown> | undefined)?.[key], root);
}
