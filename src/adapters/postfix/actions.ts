import type { Decision } from '../../access/decision.js';
import type { SmtpReply } from '../../access/reading.js';

// PD4: a decision becomes one Postfix access(5) action. Precedence: reject, discard, hold, prepend, accept.

/** What Postfix is told for a decision that does not restrict (PD9.5). */
export type AcceptAction = 'DUNNO' | 'OK';

/** PD1: the answer to a request that cannot be read. */
export const REQUEST_ERROR_ACTION = 'DEFER_IF_PERMIT Policy request error';

/** A reply as one access(5) `NNN text` action: a multi-line reply is joined with "; " (PD4). */
export function replyAction(reply: SmtpReply): string {
  const text = reply.lines.join('; ');
  return `${reply.code} ${reply.enhanced === undefined ? '' : `${reply.enhanced} `}${text}`.trimEnd();
}

/** PD9.2: the table whose result set one of the flags, named as the text of HOLD or DISCARD. */
function tableWithFlag(decision: Decision, flags: readonly string[]): string {
  const result = decision.results.find((candidate) => candidate.mapping?.flags.some((flag) => flags.includes(flag)));
  return result?.table ?? decision.stage;
}

/** PD4: the Postfix action of a decision. */
export function postfixAction(decision: Decision, acceptAction: AcceptAction): string {
  if (decision.action === 'reject' && decision.reply !== undefined) return replyAction(decision.reply);
  const { bitbucket, discardAll, jettisonAll, hold } = decision.actions;
  if (bitbucket || discardAll || jettisonAll) return `DISCARD ${tableWithFlag(decision, ['B', 'V', 'Z'])}`;
  if (hold) return `HOLD ${tableWithFlag(decision, ['H'])}`;
  if (decision.headerLine !== undefined && decision.headerLine !== '') return `PREPEND ${decision.headerLine}`;
  return acceptAction;
}
