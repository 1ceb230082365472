import * as z from 'zod';
import { isStrictDottedQuad } from '../compile/ip.js';
import { isValidIpAddress } from '../syntax/ip.js';

// A27: every tuple and option set is validated here, at the boundary, so the stages below never meet
// malformed input. Objects are strict: a misspelt field (`clientIP`) is an error, not a silent default.

const PORT_MESSAGE = 'must be an integer from 0 to 65535';
const IP_MESSAGE = 'must be an IPv4 dotted quad without leading zeros or an IPv6 address without zone index';
const ADDRESS_BRACKETS_MESSAGE = 'must be given without angle brackets';

/** Rejects a missing value with "is required" and lets the field's own message speak otherwise. */
function unlessMissing(message: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? undefined : message);
}

const ipAddress = z.string({ error: unlessMissing(IP_MESSAGE) }).refine(isValidIpAddress, { error: IP_MESSAGE });

const port = z
  .number({ error: unlessMissing(PORT_MESSAGE) })
  .int({ error: PORT_MESSAGE })
  .min(0, { error: PORT_MESSAGE })
  .max(65535, { error: PORT_MESSAGE });

// A31: no SMTP command line can carry CR, LF or NUL; a field holding one comes from a broken caller,
// and echoed into a reply it would forge reply lines. Every text field of a tuple is built on this.
const SMTP_FORBIDDEN = /[\r\n\0]/;
const isSmtpText = (text: string): boolean => !SMTP_FORBIDDEN.test(text);
const smtpText = z.string().refine(isSmtpText, {
  error: 'must not contain CR, LF or NUL (no SMTP command can carry them)',
});

// A12: channel names are validated so that they can never contain the probe separator.
const CHANNEL_NAME = /^[^\s|]+$/;
const channelName = smtpText.regex(CHANNEL_NAME, { error: 'must be a channel name: not empty, without white space or "|"' });

const isBracketed = (text: string): boolean => text.startsWith('<') && text.endsWith('>');

const recipientAddress = smtpText
  .refine((text) => !isBracketed(text), { error: ADDRESS_BRACKETS_MESSAGE })
  .refine((text) => text !== '', { error: 'must not be empty' });

// A33 item 6: the null reverse-path is the empty field, and `<>` says so rather than "no brackets".
const reversePath = smtpText
  .refine((text) => text !== '<>', { error: 'must be "" for the null reverse-path, not "<>"' })
  .refine((text) => text === '<>' || !isBracketed(text), { error: ADDRESS_BRACKETS_MESSAGE });

const SUBMIT_TYPES = ['MAIL', 'SEND', 'SAML', 'SOML'] as const;

// RFC 3461 §4.2: ORCPT=addr-type ";" xtext, where xtext writes "+" and "=" and controls as "+HH".
const ORCPT_PATTERN = /^[A-Za-z0-9-]+;(?:[^+]|\+[0-9A-Fa-f]{2})*$/;

const orcpt = smtpText
  .regex(ORCPT_PATTERN, {
    error: 'must be "type;address" with the address in xtext (RFC 3461), e.g. "rfc822;u@example.org"',
  })
  // A31: the probe holds the decoded address, so an encoded CR, LF or NUL is refused too.
  .refine((text) => !/\+(?:0D|0A|00)/i.test(text), { error: 'must not encode CR, LF or NUL (+0D, +0A, +00)' });

const connectionShape = {
  serverIp: ipAddress,
  serverPort: port,
  clientIp: ipAddress,
  clientPort: port,
};

const sessionShape = {
  helo: smtpText.optional(),
  esmtp: z.boolean().optional(),
  lmtp: z.boolean().optional(),
  tls: z.boolean().optional(),
  authenticated: z.boolean().optional(),
  authSender: smtpText.optional(),
  dispatcher: z.boolean().optional(),
  /** A9: replaces the whole app-info field (`SMTP/<helo>` otherwise). */
  appInfo: smtpText.optional(),
  /** A25 verdict already known to the caller (the session helper passes the connect stage's). */
  internal: z.boolean().optional(),
};

const envelopeShape = {
  from: reversePath,
  submitType: z.enum(SUBMIT_TYPES).optional(),
  srcChannel: channelName.optional(),
};

const notifyKeyword = z.enum(['SUCCESS', 'FAILURE', 'DELAY', 'NEVER']);

const recipientShape = {
  to: recipientAddress,
  expanded: z.array(recipientAddress).min(1, { error: 'must list at least one address' }).optional(),
  dstChannel: channelName.optional(),
  orcpt: orcpt.optional(),
  notify: z
    .array(notifyKeyword)
    // RFC 3461 §4.1: NEVER excludes every other keyword.
    .refine((keywords) => !keywords.includes('NEVER') || keywords.length === 1, {
      error: 'NEVER must be the only NOTIFY keyword (RFC 3461)',
    })
    .optional(),
  rcptIndex: z.number().int().min(1).optional(),
  acceptedSoFar: z.number().int().min(0).optional(),
  expansionCount: z.number().int().min(1).optional(),
  // A33 item 8: tags are free text (A12 replaces a `|`); `,` separates them in the probe.
  conversionTags: z.array(smtpText.regex(/^[^,\s]+$/, { error: 'must be a tag without "," or white space' })).optional(),
};

/** A27 ConnectionTuple: the TCP endpoints the Dispatcher sees. */
export const connectionTupleSchema = z.strictObject(connectionShape);
/** The argument of `classifyClient` (A25). */
export const clientIpSchema = z.strictObject({ clientIp: ipAddress });
/** A27 SessionState: what the SMTP dialogue has established so far. */
export const sessionStateSchema = z.strictObject(sessionShape);
/** A27 EnvelopeTuple: the MAIL FROM command. */
export const envelopeTupleSchema = z.strictObject(envelopeShape);
/** A27 RecipientTuple: one RCPT TO command. */
export const recipientTupleSchema = z.strictObject(recipientShape);

/** The fields a stage's cross-field rules read. */
type StageFields = Partial<Record<keyof typeof connectionShape, unknown>> & {
  srcChannel?: unknown;
  authenticated?: unknown;
  authSender?: unknown;
  rcptIndex?: unknown;
  acceptedSoFar?: unknown;
};

/** A broken cross-field rule: the field it names and why. */
interface StageIssue {
  path: [string];
  message: string;
}

const CONNECTION_FIELDS = Object.keys(connectionShape) as Array<keyof typeof connectionShape>;

/** Cross-field rules shared by the MAIL FROM and RCPT TO stage tuples. */
function envelopeStageIssues(tuple: StageFields): StageIssue[] {
  const issues: StageIssue[] = [];
  if (CONNECTION_FIELDS.some((field) => tuple[field] !== undefined)) {
    for (const field of CONNECTION_FIELDS) {
      if (tuple[field] === undefined) issues.push({ path: [field], message: 'is required when any connection field is given' });
    }
  } else if (tuple.srcChannel === undefined) {
    // A10: without a connection nothing can tell where the message came from.
    issues.push({ path: ['srcChannel'], message: 'is required for a non-SMTP submission (no connection fields given)' });
  }
  if (tuple.authSender !== undefined && tuple.authenticated === false) {
    issues.push({ path: ['authSender'], message: 'is given but authenticated is false' });
  }
  return issues;
}

/** The RCPT TO tuple's rules: the envelope's, and A11's T counts recipients accepted by *earlier* RCPT TO commands. */
function recipientStageIssues(tuple: StageFields): StageIssue[] {
  const issues = envelopeStageIssues(tuple);
  if (typeof tuple.acceptedSoFar === 'number' && tuple.acceptedSoFar >= (typeof tuple.rcptIndex === 'number' ? tuple.rcptIndex : 1)) {
    issues.push({ path: ['acceptedSoFar'], message: 'must be less than rcptIndex' });
  }
  return issues;
}

function reportIssues(rules: (tuple: StageFields) => StageIssue[]) {
  return (tuple: StageFields, context: z.RefinementCtx): void => {
    for (const { path, message } of rules(tuple)) context.addIssue({ code: 'custom', path, message });
  };
}

/** The connect stage's flat tuple: connection plus session state (only `dispatcher` and `internal` matter). */
export const connectInputSchema = z.strictObject({ ...connectionShape, ...sessionShape });

const optionalConnectionShape = {
  serverIp: ipAddress.optional(),
  serverPort: port.optional(),
  clientIp: ipAddress.optional(),
  clientPort: port.optional(),
};

/** The MAIL FROM stage's flat tuple; without connection fields it is a non-SMTP submission (A10). */
export const mailInputSchema = z
  .strictObject({ ...optionalConnectionShape, ...sessionShape, ...envelopeShape })
  .superRefine(reportIssues(envelopeStageIssues));

/** The RCPT TO stage's flat tuple: the MAIL FROM tuple plus the recipient. */
export const rcptInputSchema = z
  .strictObject({ ...optionalConnectionShape, ...sessionShape, ...envelopeShape, ...recipientShape })
  .superRefine(reportIssues(recipientStageIssues));

/** The recipient fields the session helper accepts: it keeps the counts itself (A27). */
export const sessionRecipientSchema = recipientTupleSchema.omit({ rcptIndex: true, acceptedSoFar: true });

const portList = z.array(port);

/** A24 channel configuration with its defaults. */
export const channelConfigSchema = z.strictObject({
  local: channelName.default('tcp_local'),
  intranet: channelName.default('tcp_intranet'),
  auth: channelName.default('tcp_auth'),
  submit: channelName.default('tcp_submit'),
  localDelivery: channelName.default('ims-ms'),
  submitPorts: portList.default([587]),
  // A24 compares domains case-blind: keep them lower-cased once instead of at every probe.
  localDomains: z.array(z.string().min(1).transform((domain) => domain.toLowerCase())).default([]),
});

const PARANOIA_MESSAGE = 'must be one character other than "|", or false';

const bitMask = (maximum: number) =>
  z.number().int().min(0).max(maximum, { error: `must be a bit mask from 0 to ${maximum}` }).default(0);

/** A27 AccessOptions with their defaults. */
export const accessOptionsSchema = z.strictObject({
  channels: channelConfigSchema.prefault({}),
  accessOrcpt: bitMask(31),
  accessCounts: bitMask(31),
  includeConversionTag: bitMask(127),
  accessCountsExpansion: z.boolean().default(false),
  mappingParanoia: z
    .union([z.literal(false), z.string().refine((text) => [...text].length === 1 && text !== '|', { error: PARANOIA_MESSAGE })], {
      error: PARANOIA_MESSAGE,
    })
    .default('_'),
  accessErrors: z.literal([0, 1]).default(0),
  tempFailCode: z.number().int().min(400).max(499, { error: 'must be a 4xx reply code' }).default(450),
  notifyDefaultFlags: z.boolean().default(false),
  portAccessTildeLines: z.boolean().default(true),
  portAccessDefaultText: z.string().default('Connection refused'),
  onEvaluationError: z.enum(['tempfail', 'accept']).default('tempfail'),
  /** Ask the engine for explained traces (M1) in every table result, as `decide --debug` does. */
  explain: z.boolean().default(false),
});

/** A27: the TCP endpoints of a connection. */
export type ConnectionTuple = z.infer<typeof connectionTupleSchema>;
/** A27: what the SMTP dialogue has established so far. */
export type SessionState = z.infer<typeof sessionStateSchema>;
/** A27: the MAIL FROM command; `from` is "" for the null reverse-path. */
export type EnvelopeTuple = z.infer<typeof envelopeTupleSchema>;
/** A27: one RCPT TO command with its optional-field inputs (A11). */
export type RecipientTuple = z.infer<typeof recipientTupleSchema>;
/** A9: the command that opened the transaction. */
export type SubmitType = NonNullable<EnvelopeTuple['submitType']>;
/** RFC 3461 NOTIFY keywords (A13). */
export type NotifyKeyword = z.infer<typeof notifyKeyword>;
/** The connect stage's flat tuple. */
export type ConnectInput = z.infer<typeof connectInputSchema>;
/** The MAIL FROM stage's flat tuple (connection fields all or none, A10). */
export type MailInput = z.infer<typeof mailInputSchema>;
/** The RCPT TO stage's flat tuple. */
export type RcptInput = z.infer<typeof rcptInputSchema>;
/** A recipient as the session helper takes it: without the counts it keeps itself. */
export type SessionRecipient = z.infer<typeof sessionRecipientSchema>;
/** A24 channel configuration after defaults (local domains lower-cased). */
export type ChannelConfig = z.infer<typeof channelConfigSchema>;
/** Options as a caller writes them (every field optional). */
export type AccessOptions = z.input<typeof accessOptionsSchema>;
/** Options after defaults. */
export type ResolvedAccessOptions = z.output<typeof accessOptionsSchema>;

/** One problem of a tuple: the field it concerns (`expanded[1]`, or "" for the whole tuple) and why. */
export interface TupleIssue {
  field: string;
  path: PropertyKey[];
  message: string;
}

/** Bad input to the access API: names the first offending field; returned, never thrown from inside. */
export class TupleError extends Error {
  override name = 'TupleError';
  readonly field: string;
  readonly path: PropertyKey[];
  readonly issues: TupleIssue[];

  constructor(issues: TupleIssue[]) {
    const first = issues[0] ?? { field: '', path: [], message: 'invalid input' };
    super(first.field === '' ? first.message : `${first.field}: ${first.message}`);
    this.field = first.field;
    this.path = first.path;
    this.issues = issues;
  }

  /** The JSON form the CLI prints: `{"field","message","issues"}`. */
  toJSON(): { field: string; message: string; issues: Array<{ field: string; message: string }> } {
    return {
      field: this.field,
      message: this.message,
      issues: this.issues.map(({ field, message }) => ({ field, message })),
    };
  }
}

/** `expanded[1]` for the path ["expanded", 1]. */
function fieldName(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (name, key) => (typeof key === 'number' ? `${name}[${key}]` : name === '' ? String(key) : `${name}.${String(key)}`),
    '',
  );
}

/** Friendly wording for zod's generic issues; field-specific messages above take precedence. */
export function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return issue.expected === 'int' ? 'must be an integer' : `must be ${article(issue.expected)} ${issue.expected}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'array' ? `must have at least ${issue.minimum} item(s)` : `must be at least ${issue.minimum}`;
    case 'too_big':
      return `must be at most ${issue.maximum}`;
    case 'invalid_union':
      return 'has an invalid value';
    default:
      return undefined;
  }
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

/** Whether a field's value is plainly valid: the same predicates as its schema's refinements. */
type FieldCheck = (value: unknown) => boolean;

const isString = (value: unknown): value is string => typeof value === 'string';
const isBoolean: FieldCheck = (value) => typeof value === 'boolean';
const isIpValue: FieldCheck = (value) => isString(value) && (isStrictDottedQuad(value) || isValidIpAddress(value));
const isPortValue: FieldCheck = (value) => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 65535;
const isSmtpValue: FieldCheck = (value) => isString(value) && isSmtpText(value);
const isChannelValue: FieldCheck = (value) => isSmtpValue(value) && CHANNEL_NAME.test(value as string);
const isCount = (minimum: number): FieldCheck => (value) => Number.isSafeInteger(value) && (value as number) >= minimum;

/**
 * The common fields of the stage tuples, each with a check that accepts only what its schema above
 * accepts unchanged (no field here has a default or a transform). A tuple whose every field is here and
 * passes, and whose cross-field rules hold, is valid as it stands: zod, which costs several
 * microseconds per tuple, is run only for the others, to name what is wrong.
 */
const FAST_FIELDS: Record<string, FieldCheck> = {
  serverIp: isIpValue,
  serverPort: isPortValue,
  clientIp: isIpValue,
  clientPort: isPortValue,
  helo: isSmtpValue,
  esmtp: isBoolean,
  lmtp: isBoolean,
  tls: isBoolean,
  authenticated: isBoolean,
  authSender: isSmtpValue,
  dispatcher: isBoolean,
  appInfo: isSmtpValue,
  internal: isBoolean,
  from: (value) => isSmtpValue(value) && value !== '<>' && !isBracketed(value as string),
  submitType: (value) => (SUBMIT_TYPES as readonly unknown[]).includes(value),
  srcChannel: isChannelValue,
  to: (value) => isSmtpValue(value) && value !== '' && !isBracketed(value as string),
  dstChannel: isChannelValue,
  rcptIndex: isCount(1),
  acceptedSoFar: isCount(0),
  expansionCount: isCount(1),
};

/** Per schema: the fields it requires and its cross-field rules (a schema absent here is always checked by zod). */
interface FastSchema {
  shape: Readonly<Record<string, unknown>>;
  required: readonly string[];
  rules: ((tuple: StageFields) => StageIssue[]) | null;
}

const FAST_SCHEMAS = new Map<z.ZodType, FastSchema>([
  [connectionTupleSchema, { shape: connectionTupleSchema.shape, required: CONNECTION_FIELDS, rules: null }],
  [sessionStateSchema, { shape: sessionStateSchema.shape, required: [], rules: null }],
  [envelopeTupleSchema, { shape: envelopeTupleSchema.shape, required: ['from'], rules: null }],
  [sessionRecipientSchema, { shape: sessionRecipientSchema.shape, required: ['to'], rules: null }],
  [connectInputSchema, { shape: connectInputSchema.shape, required: CONNECTION_FIELDS, rules: null }],
  [mailInputSchema, { shape: mailInputSchema.shape, required: ['from'], rules: envelopeStageIssues }],
  [rcptInputSchema, { shape: rcptInputSchema.shape, required: ['from', 'to'], rules: recipientStageIssues }],
]);

/**
 * A copy of a tuple that is valid by the fast checks alone, or null: "ask zod", not "invalid". Each
 * field is read once, into the copy that is checked and returned, so a getter cannot show the checks
 * one value and the caller another.
 */
function plainlyValidCopy(fast: FastSchema, value: unknown): Record<string, unknown> | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype) return null;
  const tuple = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const field in tuple) {
    const check = Object.hasOwn(FAST_FIELDS, field) && Object.hasOwn(fast.shape, field) ? FAST_FIELDS[field] : undefined;
    if (check === undefined) return null;
    const fieldValue = tuple[field];
    if (fieldValue !== undefined && !check(fieldValue)) return null;
    copy[field] = fieldValue;
  }
  for (const field of fast.required) if (copy[field] === undefined) return null;
  return fast.rules === null || fast.rules(copy).length === 0 ? copy : null;
}

/** Validates a value against one of the schemas above: the parsed value, or a TupleError naming the field. */
export function validateTuple<Schema extends z.ZodType>(schema: Schema, value: unknown): z.output<Schema> | TupleError {
  const fast = FAST_SCHEMAS.get(schema);
  // A copy, as zod's answer is: the caller may change its object while an asynchronous decision runs.
  const copy = fast === undefined ? null : plainlyValidCopy(fast, value);
  if (copy !== null) return copy as z.output<Schema>;
  const parsed = schema.safeParse(value, { error: describeIssue });
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue): TupleIssue => {
    if (issue.code === 'unrecognized_keys') {
      const path = [...issue.path, issue.keys[0] ?? ''];
      return { field: fieldName(path), path, message: 'is not a known field' };
    }
    return { field: fieldName(issue.path), path: issue.path, message: issue.message };
  });
  return new TupleError(issues);
}
