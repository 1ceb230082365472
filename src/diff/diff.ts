import type { Decision } from '../access/decision.js';
import { AccessPolicy, type StageInput } from '../access/policy.js';
import { TupleError, type AccessOptions, type ChannelConfig } from '../access/schemas.js';
import { isAccessTable } from '../access/tables.js';
import type { CaseFile } from '../cases/schema.js';
import { compile, type MappingSet } from '../engine/compile.js';
import type { EntryRef, MappingResult } from '../engine/types.js';
import { auditMappings, runAuditChecks, type AuditCheck, type AuditReport, type CheckPlan } from '../lint/audit.js';
import { witnessText } from '../lint/pattern-inclusion.js';
import type { ParsedMappings, Table } from '../syntax/ast.js';
import { asciiUpper } from '../syntax/case.js';
import { compareChecks, compareDecisions, compareMappings, type Comparison, type Safety } from './compare.js';
import { editProbes, type ProbeSource, type TableProbe } from './probes.js';
import { identity, placeOf, structuralEdits, type EntryPlace, type TableChange, type TableEdit } from './structure.js';
import { tupleForProbe } from './tuples.js';

/** Options of {@link diffMappings}. */
export interface DiffOptions {
  /** The channel model (A24) of the decisions and the audit; default: the product's default channels. */
  channels?: ChannelConfig;
  /** The user's case files: every case is answered by both versions. */
  cases?: readonly CaseFile[];
}

/** One probe the two versions answer differently, with the entry that decided it in each. */
export interface ProbeDifference extends Comparison {
  /** A table's mapping result, a stage's decision, or a check of the anti-relay audit. */
  kind: 'mapping' | 'decision' | 'audit';
  /** The table mapped, or the table whose probe the decision's tuple was built from. */
  table?: string;
  /** The mapping input, the stage tuple as JSON, or the audit check's description. */
  probe: string;
  inputFlags?: string;
  source: ProbeSource;
  /** Further probes with the same difference between the same entries, not listed. */
  alike: number;
}

/** A moved entry now matched before (or after) an entry it crossed, shown on a text both match (M2). */
export interface Reordering {
  table: string;
  entry: EntryPlace;
  over: EntryPlace;
  probe: string;
  /** The entry that answered the probe in each version. */
  old?: EntryRef;
  new?: EntryRef;
}

/** What an edit of a mappings file does: its structure, the probes answered differently, and the safety verdict. */
export interface DiffReport {
  tables: TableChange[];
  reorderings: Reordering[];
  differences: ProbeDifference[];
  /** How many probes of each kind both versions answered. */
  probes: { mapping: number; decision: number; audit: number };
  /** The audit's open-relay verdict before and after. */
  relay: { old: AuditReport['openRelay']; new: AuditReport['openRelay'] };
  /** `weaker` when anything got weaker (or the audit now finds a relay), else `stronger` or `other`; `none` without differences. */
  safety: Safety | 'none';
}

/** Crossed entries per move whose order is shown on a probe. */
const REORDERINGS_PER_MOVE = 16;

/** One version: its parse, its compiled tables and the access policy over them. */
interface Version {
  parsed: ParsedMappings;
  mappings: MappingSet;
  policy: AccessPolicy;
}

function version(parsed: ParsedMappings, options: AccessOptions): Version | TupleError {
  const mappings = compile(parsed);
  const policy = AccessPolicy.create(mappings, options);
  return policy instanceof TupleError ? policy : { parsed, mappings, policy };
}

const mapIn = (mappings: MappingSet, probe: TableProbe): MappingResult | undefined =>
  mappings.has(probe.table) ? mappings.mapSync(probe.table, probe.input, { flags: probe.inputFlags }) : undefined;

/** Collects differences, folding probes with the same kind, table, deciding entries and changed fields into one. */
class Differences {
  readonly list: ProbeDifference[] = [];
  private readonly byKey = new Map<string, ProbeDifference>();

  add(difference: Omit<ProbeDifference, 'alike'>): void {
    const entryKey = (ref: EntryRef | undefined) => (ref ? `${ref.file}:${ref.line}` : '-');
    const key = [
      difference.kind,
      difference.table,
      // Every audit check and every user case is reported on its own.
      difference.kind === 'audit' || difference.source === 'case' ? `${difference.source} ${difference.probe}` : '',
      entryKey(difference.old.entry),
      entryKey(difference.new.entry),
      difference.safety,
      difference.fields.map((field) => field.field).join(','),
    ].join('\u0000');
    const known = this.byKey.get(key);
    if (known) {
      known.alike += 1;
      return;
    }
    const added = { ...difference, alike: 0 };
    this.byKey.set(key, added);
    this.list.push(added);
  }
}

/** M2: for each moved entry and each entry it crossed, a text both match, and which of them answers it in each version. */
function reorderings(edit: TableEdit, before: Version, after: Version): Reordering[] {
  const found: Reordering[] = [];
  for (const { entry, crossed } of edit.moves) {
    for (const other of crossed.slice(0, REORDERINGS_PER_MOVE)) {
      const probe = witnessText(entry.new.patternItems, [other.new.patternItems], true);
      if (probe === null) continue;
      const request: TableProbe = { table: edit.table, input: probe, inputFlags: '', source: 'entry' };
      const [oldEntry, newEntry] = [mapIn(before.mappings, request)?.entry, mapIn(after.mappings, request)?.entry];
      const said = (mappings: MappingSet, ref: EntryRef | undefined) => {
        const entry = ref && mappings.entries(ref.table)?.[ref.index - 1];
        return entry ? identity(entry) : null;
      };
      if (said(before.mappings, oldEntry) === said(after.mappings, newEntry)) continue;
      const reordering: Reordering = { table: edit.table, entry: placeOf(entry.new), over: placeOf(other.new), probe };
      if (oldEntry) reordering.old = oldEntry;
      if (newEntry) reordering.new = newEntry;
      found.push(reordering);
    }
  }
  return found;
}

const planKey = (plan: CheckPlan) => `${plan.id}|${plan.client}`;

/**
 * Both versions' audit checks, paired: the plans of both batteries, each once, each run on both
 * versions; a check one version built (an internal client of its own) runs on the other too.
 */
function auditPairs(parsed: readonly [ParsedMappings, ParsedMappings], reports: readonly [AuditReport, AuditReport], channels: ChannelConfig): Array<[AuditCheck, AuditCheck]> {
  const plans = new Map<string, CheckPlan>();
  for (const { id, description, client, port, authenticated, recipient } of reports.flatMap((report) => report.checks)) {
    plans.set(planKey({ id, description, client, port, authenticated, recipient }), { id, description, client, port, authenticated, recipient });
  }
  const [oldChecks, newChecks] = ([0, 1] as const).map((side) => {
    const own = new Map(reports[side].checks.map((check) => [planKey(check), check]));
    const missing = [...plans.values()].filter((plan) => !own.has(planKey(plan)));
    for (const check of runAuditChecks(parsed[side], missing, channels)) own.set(planKey(check), check);
    return own;
  });
  return [...plans.keys()].map((key) => [oldChecks!.get(key)!, newChecks!.get(key)!]);
}

function overallSafety(differences: readonly ProbeDifference[], relay: DiffReport['relay']): DiffReport['safety'] {
  if (relay.new === 'yes' && relay.old !== 'yes') return 'weaker';
  for (const safety of ['weaker', 'stronger', 'other'] as const) if (differences.some((difference) => difference.safety === safety)) return safety;
  return 'none';
}

/** A decision request: a tuple, where it came from, and the policies (a case file's options) that answer it. */
interface DecisionProbe {
  tuple: StageInput | Record<string, unknown>;
  table?: string;
  source: ProbeSource;
  policies: [AccessPolicy, AccessPolicy];
}

/**
 * What an edit of a mappings file does: tables and entries added, removed, changed and moved; the
 * probes (from the edited patterns, subnet boundaries, neighbouring literal fields, the user's cases
 * and the audit's tuples) that the two versions answer differently, with the deciding entry in each;
 * and whether anything got weaker. Invalid channel or case-file options give a TupleError.
 */
export function diffMappings(oldParsed: ParsedMappings, newParsed: ParsedMappings, options: DiffOptions = {}): DiffReport | TupleError {
  const accessOptions: AccessOptions = options.channels ? { channels: options.channels } : {};
  const before = version(oldParsed, accessOptions);
  const after = version(newParsed, accessOptions);
  if (before instanceof TupleError) return before;
  if (after instanceof TupleError) return after;
  const channels = before.policy.options.channels;
  const differences = new Differences();
  const counts = { mapping: 0, decision: 0, audit: 0 };

  const edits = structuralEdits(oldParsed, newParsed);
  const tableOf = (parsed: ParsedMappings, name: string): Table | undefined => parsed.tables.find((table) => table.name === name);
  const mappingProbes: TableProbe[] = edits.flatMap((edit) => editProbes(edit, tableOf(oldParsed, edit.table), tableOf(newParsed, edit.table)));
  const decisionProbes = new Map<string, DecisionProbe>();
  const policies: [AccessPolicy, AccessPolicy] = [before.policy, after.policy];
  for (const probe of mappingProbes) {
    const tuple = isAccessTable(probe.table) ? tupleForProbe(probe.table, probe.input) : null;
    if (tuple) decisionProbes.set(JSON.stringify(tuple), { tuple, table: probe.table, source: probe.source, policies });
  }
  for (const cases of options.cases ?? []) {
    const casePolicies = [AccessPolicy.create(before.mappings, cases.options ?? {}), AccessPolicy.create(after.mappings, cases.options ?? {})];
    if (casePolicies[0] instanceof TupleError) return casePolicies[0];
    if (casePolicies[1] instanceof TupleError) return casePolicies[1];
    for (const testCase of cases.cases) {
      if ('decide' in testCase) {
        decisionProbes.set(JSON.stringify([cases.options, testCase.decide]), { tuple: testCase.decide, source: 'case', policies: casePolicies as [AccessPolicy, AccessPolicy] });
      } else {
        mappingProbes.push({ table: asciiUpper(testCase.table), input: testCase.probe, inputFlags: testCase.inputFlags ?? '', source: 'case' });
      }
    }
  }

  for (const probe of mappingProbes) {
    counts.mapping += 1;
    const comparison = compareMappings(probe.table, mapIn(before.mappings, probe), mapIn(after.mappings, probe));
    if (comparison) differences.add({ kind: 'mapping', table: probe.table, probe: probe.input, inputFlags: probe.inputFlags, source: probe.source, ...comparison });
  }
  for (const probe of decisionProbes.values()) {
    const [oldDecision, newDecision] = probe.policies.map((policy) => policy.decide(probe.tuple)) as [Decision | TupleError, Decision | TupleError];
    // A tuple read back from a probe may not be one a session can send; a case's bad tuple is `imsmap check`'s to report.
    if (oldDecision instanceof TupleError || newDecision instanceof TupleError) continue;
    counts.decision += 1;
    const comparison = compareDecisions(oldDecision, newDecision, channels);
    if (!comparison) continue;
    const difference = { kind: 'decision' as const, probe: JSON.stringify(probe.tuple), source: probe.source, ...comparison };
    differences.add(probe.table ? { ...difference, table: probe.table } : difference);
  }

  const reports = [oldParsed, newParsed].map((parsed) => auditMappings(parsed, { channels })) as [AuditReport, AuditReport];
  for (const [oldCheck, newCheck] of auditPairs([oldParsed, newParsed], reports, channels)) {
    counts.audit += 1;
    const comparison = compareChecks(oldCheck, newCheck);
    if (comparison) differences.add({ kind: 'audit', probe: `${newCheck.id}: ${newCheck.description}`, source: 'audit', ...comparison });
  }

  const relay = { old: reports[0].openRelay, new: reports[1].openRelay };
  return {
    tables: edits.map(({ touched: _touched, moves: _moves, ...change }) => change),
    reorderings: edits.flatMap((edit) => reorderings(edit, before, after)),
    differences: differences.list,
    probes: counts,
    relay,
    safety: overallSafety(differences.list, relay),
  };
}
