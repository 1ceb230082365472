import type * as z from 'zod';
import type { MappingSet } from '../engine/compile.js';
import type { Decision } from './decision.js';
import {
  accessOptionsSchema,
  clientIpSchema,
  connectInputSchema,
  mailInputSchema,
  rcptInputSchema,
  TupleError,
  validateTuple,
  type AccessOptions,
  type ConnectInput,
  type MailInput,
  type RcptInput,
  type ResolvedAccessOptions,
} from './schemas.js';
import {
  classifyEvaluation,
  connectEvaluation,
  lookUpAsync,
  lookUpSync,
  mailEvaluation,
  rcptEvaluation,
  type AccessEvaluation,
} from './stages.js';

/** A stage tuple tagged with its stage, as `imsmap decide` reads it: the A27 fields flat. */
export type StageInput =
  | ({ stage: 'connect' } & ConnectInput)
  | ({ stage: 'mail' } & MailInput)
  | ({ stage: 'rcpt' } & RcptInput);

const STAGES = ['connect', 'mail', 'rcpt'] as const;

/** The access decisions of one mappings file (A22–A29): one method per stage, sync and async. */
export class AccessPolicy {
  private constructor(
    readonly mappings: MappingSet,
    readonly options: ResolvedAccessOptions,
  ) {}

  /** A policy over compiled mappings; invalid options give a TupleError naming the option. */
  static create(mappings: MappingSet, options: AccessOptions = {}): AccessPolicy | TupleError {
    const resolved = validateTuple(accessOptionsSchema, options);
    return resolved instanceof TupleError ? resolved : new AccessPolicy(mappings, resolved);
  }

  /** A25: whether INTERNAL_IP calls the client internal. */
  classifyClient(clientIp: string): boolean | TupleError {
    return this.evaluateSync(this.classification(clientIp));
  }

  /** A25, awaiting asynchronous providers. */
  classifyClientAsync(clientIp: string): Promise<boolean | TupleError> {
    return this.evaluateAsync(this.classification(clientIp));
  }

  /** The connect stage: PORT_ACCESS (A22 step 1). */
  connect(input: ConnectInput): Decision | TupleError {
    return this.evaluateSync(this.prepare(connectInputSchema, input, connectEvaluation));
  }

  /** The connect stage, awaiting asynchronous providers. */
  connectAsync(input: ConnectInput): Promise<Decision | TupleError> {
    return this.evaluateAsync(this.prepare(connectInputSchema, input, connectEvaluation));
  }

  /** The MAIL FROM stage: FROM_ACCESS (A22 step 2). */
  mailFrom(input: MailInput): Decision | TupleError {
    return this.evaluateSync(this.prepare(mailInputSchema, input, mailEvaluation));
  }

  /** The MAIL FROM stage, awaiting asynchronous providers. */
  mailFromAsync(input: MailInput): Promise<Decision | TupleError> {
    return this.evaluateAsync(this.prepare(mailInputSchema, input, mailEvaluation));
  }

  /** The RCPT TO stage: the four recipient tables (A22 step 3). */
  rcptTo(input: RcptInput): Decision | TupleError {
    return this.evaluateSync(this.prepare(rcptInputSchema, input, rcptEvaluation));
  }

  /** The RCPT TO stage, awaiting asynchronous providers. */
  rcptToAsync(input: RcptInput): Promise<Decision | TupleError> {
    return this.evaluateAsync(this.prepare(rcptInputSchema, input, rcptEvaluation));
  }

  /** Any stage, chosen by the tuple's `stage` field (the `imsmap decide` line format). */
  decide(input: StageInput | unknown): Decision | TupleError {
    return this.evaluateSync(this.stageEvaluation(input));
  }

  /** Any stage, awaiting asynchronous providers. */
  decideAsync(input: StageInput | unknown): Promise<Decision | TupleError> {
    return this.evaluateAsync(this.stageEvaluation(input));
  }

  private classification(clientIp: string): AccessEvaluation<boolean> | TupleError {
    const valid = validateTuple(clientIpSchema, { clientIp });
    return valid instanceof TupleError ? valid : classifyEvaluation(valid.clientIp);
  }

  private prepare<Schema extends z.ZodType>(
    schema: Schema,
    input: unknown,
    evaluation: (tuple: z.output<Schema>, options: ResolvedAccessOptions) => AccessEvaluation<Decision>,
  ): AccessEvaluation<Decision> | TupleError {
    const tuple = validateTuple(schema, input);
    return tuple instanceof TupleError ? tuple : evaluation(tuple, this.options);
  }

  private stageEvaluation(input: unknown): AccessEvaluation<Decision> | TupleError {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      return new TupleError([{ field: '', path: [], message: 'must be an object with a "stage" field' }]);
    }
    const { stage, ...tuple } = input as Record<string, unknown>;
    switch (stage) {
      case 'connect':
        return this.prepare(connectInputSchema, tuple, connectEvaluation);
      case 'mail':
        return this.prepare(mailInputSchema, tuple, mailEvaluation);
      case 'rcpt':
        return this.prepare(rcptInputSchema, tuple, rcptEvaluation);
      default:
        return new TupleError([
          {
            field: 'stage',
            path: ['stage'],
            message: stage === undefined ? 'is required' : `must be one of ${STAGES.map((name) => JSON.stringify(name)).join(', ')}`,
          },
        ]);
    }
  }

  private evaluateSync<T>(prepared: AccessEvaluation<T> | TupleError): T | TupleError {
    return prepared instanceof TupleError ? prepared : lookUpSync(prepared, this.mappings, this.options.explain);
  }

  private async evaluateAsync<T>(prepared: AccessEvaluation<T> | TupleError): Promise<T | TupleError> {
    return prepared instanceof TupleError ? prepared : lookUpAsync(prepared, this.mappings, this.options.explain);
  }
}
