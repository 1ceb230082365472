/**
 * The access stage (access.md): tuples (zod) → probes (A4–A12) → engine → flag arguments (A15–A16) →
 * decisions (A17–A29), with the channel model (A24), INTERNAL_IP (A25) and the session helper (A27).
 */
export {
  accessOptionsSchema,
  channelConfigSchema,
  connectInputSchema,
  connectionTupleSchema,
  envelopeTupleSchema,
  mailInputSchema,
  rcptInputSchema,
  recipientTupleSchema,
  sessionRecipientSchema,
  sessionStateSchema,
  TupleError,
  validateTuple,
  type AccessOptions,
  type ChannelConfig,
  type ConnectInput,
  type ConnectionTuple,
  type EnvelopeTuple,
  type MailInput,
  type NotifyKeyword,
  type RcptInput,
  type RecipientTuple,
  type ResolvedAccessOptions,
  type SessionRecipient,
  type SessionState,
  type SubmitType,
  type TupleIssue,
} from './schemas.js';
export {
  decodeOrcpt,
  fromAccessInputFlags,
  fromAccessProbe,
  internalIpProbe,
  mailAccessProbe,
  paranoidField,
  portAccessInputFlags,
  portAccessProbe,
  recipientInputFlags,
  recipientProbe,
  renderIpAddress,
  sendAccessProbe,
  type ConnectionFields,
  type FromProbeFields,
  type InputFlagFacts,
  type ProbeOptions,
  type RecipientProbeFields,
} from './probes.js';
export {
  addressReply,
  formatReply,
  portAccessReply,
  readAccessResult,
  tableVerdict,
  type AccessReading,
  type Delay,
  type SmtpReply,
  type TableVerdict,
} from './reading.js';
export {
  ACCESS_TABLES,
  isAccessTable,
  RECIPIENT_TABLES,
  type AccessTableName,
  type DecidingTable,
  type RecipientTable,
} from './tables.js';
export { destinationChannel, sourceChannel, type SourceChannelFacts } from './channels.js';
export type { Decision, TableResult } from './decision.js';
export { AccessPolicy, type StageInput } from './policy.js';
export { AccessSession, type TransactionState } from './session.js';
