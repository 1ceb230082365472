/**
 * `imsmap/access`: the pieces under AccessPolicy, for tools that build probes or read table results
 * themselves — probe strings and input flags (access.md A2–A16), readings of results (A17–A21),
 * channels (A24), the A1 table names and the tuple schemas (A27). Browser-safe.
 */
export { destinationChannel, sourceChannel, type SourceChannelFacts } from '../access/channels.js';
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
} from '../access/probes.js';
export { addressReply, formatReply, portAccessReply, readAccessResult, tableVerdict, type AccessReading } from '../access/reading.js';
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
  validateTuple,
  type ConnectionTuple,
  type EnvelopeTuple,
  type NotifyKeyword,
  type RecipientTuple,
  type ResolvedAccessOptions,
  type SessionRecipient,
  type SessionState,
  type SubmitType,
} from '../access/schemas.js';
export { ACCESS_TABLES, isAccessTable, RECIPIENT_TABLES, type AccessTableName, type RecipientTable } from '../access/tables.js';
