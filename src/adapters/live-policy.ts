import { createHash } from 'node:crypto';
import { readFileSync, statSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { Decision } from '../access/decision.js';
import { AccessPolicy, type StageInput } from '../access/policy.js';
import { TupleError, type AccessOptions } from '../access/schemas.js';
import { ACCESS_TABLES } from '../access/tables.js';
import { HitCounter, type HitReport } from '../engine/hit-counter.js';
import { compile } from '../engine/compile.js';
import type { CompileOptions } from '../engine/options.js';
import { auditMappings } from '../lint/audit.js';
import { hasErrors, type Diagnostic } from '../syntax/diagnostics.js';
import type { IncludeReader } from '../syntax/index.js';
import { loadMappings } from '../syntax/node.js';
import { CompiledFileError, isCompiledFile, loadAnyMappingsFile } from '../engine/snapshot/node.js';

/** How a LivePolicy loads its file. */
export interface LivePolicyOptions {
  /** Access options (A27) of every generation. */
  access?: AccessOptions;
  /** Engine options (routines, providers) of every generation. */
  compile?: CompileOptions;
  /** Count per-entry hits (default true); the counters start again at each reload. */
  countHits?: boolean;
  /** Reads `<file` includes (F7); the file system by default. */
  readInclude?: IncludeReader;
}

/** One loaded version of the file: everything a decision needs, never changed after it is built. */
export interface PolicyGeneration {
  /** 1 for the first load, one more for each reload that replaced the tables. */
  readonly generation: number;
  readonly policy: AccessPolicy;
  /** Diagnostics of this version (warnings, and errors if it was loaded with `force`). */
  readonly diagnostics: readonly Diagnostic[];
  /** The mappings file and every file it included (F7). */
  readonly files: readonly string[];
  readonly hits: HitCounter | undefined;
  readonly loadedAt: Date;
  /** SHA-256 (hex) of the mappings file's bytes as this generation read them. */
  readonly sha256: string;
  /** The anti-relay audit of this generation (`imsmap audit`, with the policy's channels), for the relay guard (A32 item 4). */
  readonly openRelay: 'yes' | 'no' | 'unknown';
  /** True when the reload that made it was forced past a refusal (A32 item 5). */
  readonly forced: boolean;
}

/** Why a reload kept the tables in use (A32). */
export type ReloadRefusalReason =
  /** The text has parse errors (A32 item 1, F14). */
  | 'errors'
  /** The file cannot be read. */
  | 'unreadable'
  /** The file or an include changed while it was read, or between two reads a debounce interval apart (item 2). */
  | 'unstable'
  /** The file holds no table at all (item 3). */
  | 'empty'
  /** An access table (A1) of the generation in use is missing (item 3). */
  | 'lost-table'
  /** The generation in use is not an open relay and the new one is, or cannot be judged (item 4). */
  | 'relay-guard'
  /** The access options do not fit, or loading failed in a way the diagnostics do not cover. */
  | 'load-failed';

/** A refused reload: the reason and a sentence saying what was seen (A32 item 5). */
export interface ReloadRefusal {
  reason: ReloadRefusalReason;
  message: string;
}

/** What a reload did: replaced the tables, or kept the old ones and said why (F14, A32). */
export interface ReloadResult {
  replaced: boolean;
  /** The generation in use after the reload. */
  generation: number;
  /** The diagnostics of the file just read. */
  diagnostics: Diagnostic[];
  /** Why the tables in use were kept; absent when they were replaced. */
  refused?: ReloadRefusal;
  /** A forced reload says so, with what it was forced past (A32 item 5). */
  forced?: ReloadRefusal;
}

/** The counters of the generation in use, as JSON. */
export interface LiveHitReport extends HitReport {
  file: string;
  generation: number;
}

/** A file that could not become a policy: its diagnostics, or the access options' error. */
export class PolicyLoadError extends Error {
  override name = 'PolicyLoadError';
  constructor(
    message: string,
    readonly diagnostics: readonly Diagnostic[],
    readonly optionsError?: TupleError,
    readonly reason: ReloadRefusalReason = 'errors',
  ) {
    super(message);
  }
}

/** A running file watcher; `close` stops it. */
export interface PolicyWatch {
  close(): void;
}

/** Options of `LivePolicy.watch`. */
export interface WatchOptions {
  /**
   * Quiet time after the last change before the file is read; it is read again one interval later and
   * reloaded only if size, modification time and content have not moved (A32 item 2).
   */
  debounceMs?: number;
  /** Told about every reload the watcher made, refused ones included with their reason (A32 item 5). */
  onReload?: (result: ReloadResult) => void;
}

const DEFAULT_DEBOUNCE_MS = 100;

/**
 * An access policy over a mappings file that can be reloaded while decisions run. Each generation is an
 * immutable AccessPolicy; a reload builds the next one completely and then swaps one reference, so a
 * decision — which takes the policy once, when it starts — finishes on the tables it started with and
 * never sees a mix. Only a complete, stable and no less safe generation replaces the one in use (A32):
 * a half-written file is usually a valid file that has lost its anti-relay rules.
 */
export class LivePolicy {
  private generationInUse: PolicyGeneration;
  private readonly watches = new Set<PolicyWatch>();

  private constructor(
    readonly file: string,
    private readonly options: LivePolicyOptions,
    first: PolicyGeneration,
  ) {
    this.generationInUse = first;
  }

  /** Loads a mappings file; errors in it (or in the options) give a PolicyLoadError, never a throw. */
  static load(file: string, options: LivePolicyOptions = {}): LivePolicy | PolicyLoadError {
    const absolute = path.resolve(file);
    const built = buildGeneration(absolute, options, 1, null, false);
    return built instanceof PolicyLoadError ? built : new LivePolicy(absolute, options, built);
  }

  /** The generation in use: take it once per decision (or per SMTP session) and keep using it. */
  get current(): PolicyGeneration {
    return this.generationInUse;
  }

  /** The AccessPolicy of the generation in use. */
  get policy(): AccessPolicy {
    return this.generationInUse.policy;
  }

  /**
   * Reads the file again and replaces the tables only with a generation A32 allows; otherwise the tables
   * in use stay and the result says why. `force` takes a file with errors, an empty one, one that lost a
   * table or fails the relay guard; never an unreadable or unstable one.
   */
  reload(options: { force?: boolean } = {}): ReloadResult {
    return this.reloadIfUnmoved(null, options.force === true);
  }

  /** A reload whose text must match `expected` (the watcher's quiet-interval fingerprint), if given. */
  private reloadIfUnmoved(expected: string | null, force: boolean): ReloadResult {
    const inUse = this.generationInUse;
    const built = buildGeneration(this.file, this.options, inUse.generation + 1, { inUse, expected }, force);
    if (built instanceof PolicyLoadError) {
      const refused = { reason: built.reason, message: built.message };
      return { replaced: false, generation: inUse.generation, diagnostics: [...built.diagnostics], refused };
    }
    this.generationInUse = built.generation;
    const result: ReloadResult = { replaced: true, generation: built.generation.generation, diagnostics: [...built.generation.diagnostics] };
    if (built.forcedPast) result.forced = built.forcedPast;
    return result;
  }

  /** Any stage's decision (the `imsmap decide` tuple), on the generation in use when it starts. */
  decide(input: StageInput | unknown): Decision | TupleError {
    return this.generationInUse.policy.decide(input);
  }

  /** As `decide`, awaiting asynchronous providers; a reload meanwhile does not affect this decision. */
  decideAsync(input: StageInput | unknown): Promise<Decision | TupleError> {
    return this.generationInUse.policy.decideAsync(input);
  }

  /** The hit counters of the generation in use, or undefined when counting is off. */
  hitReport(): LiveHitReport | undefined {
    const { hits, generation } = this.generationInUse;
    return hits && { file: this.file, generation, ...hits.toJSON() };
  }

  /**
   * Reloads when the file or one of its includes changes. Directories are watched rather than files, so
   * that an editor or deployment tool replacing a file by rename is seen too.
   */
  watch(options: WatchOptions = {}): PolicyWatch {
    const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
    let watchers: FSWatcher[] = [];
    let watchedFiles: readonly string[] = [];
    let timer: NodeJS.Timeout | undefined;

    // A32 item 2: a change is taken only after the files have held still for a whole debounce interval.
    const settle = (): void => {
      const seen = fingerprint(watchedFiles);
      timer = setTimeout(() => {
        if (fingerprint(watchedFiles) === seen) reloadNow(seen);
        else settle();
      }, debounceMs);
    };

    const arm = (files: readonly string[]): void => {
      for (const watcher of watchers) watcher.close();
      watchedFiles = files;
      const names = new Set(files.map((file) => path.basename(file)));
      const directories = new Set(files.map((file) => path.dirname(file)));
      watchers = [...directories].map((directory) =>
        // Not persistent: a watcher alone must not keep a process alive.
        watch(directory, { persistent: false }, (_event, name) => {
          if (name !== null && !names.has(name.toString())) return;
          clearTimeout(timer);
          timer = setTimeout(settle, debounceMs);
        }),
      );
    };
    const reloadNow = (seen: string): void => {
      const result = this.reloadIfUnmoved(seen, false);
      const files = this.generationInUse.files;
      if (files.join('\n') !== watchedFiles.join('\n')) arm(files);
      // Moved while it was read: wait for the next quiet interval rather than report a half-written file.
      if (result.refused?.reason === 'unstable') settle();
      options.onReload?.(result);
    };

    arm(this.generationInUse.files);
    const handle: PolicyWatch = {
      close: () => {
        clearTimeout(timer);
        for (const watcher of watchers) watcher.close();
        this.watches.delete(handle);
      },
    };
    this.watches.add(handle);
    return handle;
  }

  /** Stops every watcher of this policy. */
  close(): void {
    for (const handle of [...this.watches]) handle.close();
  }
}

/** What a file looked like at one moment: a regular file's size, modification time and content hash. */
type FileState = { size: number; mtimeMs: number; sha256: string } | 'missing' | 'not a regular file';

function fileState(file: string): FileState {
  try {
    const stat = statSync(file);
    // Never read a FIFO or a device here: it could block or never end.
    if (!stat.isFile()) return 'not a regular file';
    return { size: stat.size, mtimeMs: stat.mtimeMs, sha256: createHash('sha256').update(readFileSync(file)).digest('hex') };
  } catch {
    return 'missing';
  }
}

/** The states of files in one string: equal strings, unmoved files (A32 item 2). */
function fingerprint(files: readonly string[]): string {
  return fingerprintOf(files, files.map(fileState));
}

function fingerprintOf(files: readonly string[], states: readonly FileState[]): string {
  return JSON.stringify(files.map((file, index) => [file, states[index]]));
}

/** What a reload compares the new text with: the generation in use, and the watcher's fingerprint if any. */
interface ReloadBasis {
  inUse: PolicyGeneration;
  expected: string | null;
}

/** A generation built by a reload, and the refusal it was forced past, if any. */
interface BuiltGeneration {
  generation: PolicyGeneration;
  forcedPast?: ReloadRefusal;
}

/**
 * Builds one generation, or says why the file cannot become one. Nothing it calls may take the host
 * down: whatever loading throws becomes a refusal (A32 item 5).
 */
function buildGeneration(file: string, options: LivePolicyOptions, generation: number, basis: null, force: false): PolicyGeneration | PolicyLoadError;
function buildGeneration(file: string, options: LivePolicyOptions, generation: number, basis: ReloadBasis, force: boolean): BuiltGeneration | PolicyLoadError;
function buildGeneration(
  file: string,
  options: LivePolicyOptions,
  generation: number,
  basis: ReloadBasis | null,
  force: boolean,
): PolicyGeneration | BuiltGeneration | PolicyLoadError {
  try {
    const built = buildChecked(file, options, generation, basis, force);
    return basis === null && !(built instanceof PolicyLoadError) ? built.generation : built;
  } catch (thrown) {
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    return new PolicyLoadError(`${file}: loading failed (${message}); the tables were not loaded`, [], undefined, 'load-failed');
  }
}

/** The checks of A32 in order; a first load (no basis) has only the text's own (items 1 and 2). */
function buildChecked(
  file: string,
  options: LivePolicyOptions,
  generation: number,
  basis: ReloadBasis | null,
  force: boolean,
): BuiltGeneration | PolicyLoadError {
  const watched = basis ? [...new Set([file, ...basis.inUse.files])] : [file];
  const before = basis?.expected ?? fingerprint(watched);
  // A compiled file (imsmap build) is how big sites reload without a parse pause; it is told by its content.
  const compiled = isCompiledFile(file);
  const loaded = compiled ? loadAnyMappingsFile(file) : loadMappings(file, options.readInclude === undefined ? {} : { readInclude: options.readInclude });
  if (loaded instanceof CompiledFileError) {
    const reason = loaded.problem === 'unreadable' ? 'unreadable' : 'load-failed';
    return new PolicyLoadError(`${file}: ${loaded.message}; the tables were not loaded`, [], undefined, reason);
  }
  const parsed = loaded;
  const refuse = (reason: ReloadRefusalReason, message: string) =>
    new PolicyLoadError(`${file}: ${message}; the tables were not loaded`, parsed.diagnostics, undefined, reason);

  if (parsed.diagnostics.some((diagnostic) => diagnostic.code === 'unreadable-file')) return refuse('unreadable', 'cannot be read');
  // A32 item 2: the text parsed must be the text that held still, in the file and in every include it had.
  const after = watched.map(fileState);
  const mainState = after[0]!;
  if (fingerprintOf(watched, after) !== before || typeof mainState === 'string') return refuse('unstable', 'changed while it was read');

  const problems: ReloadRefusal[] = [];
  const errors = parsed.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
  if (errors > 0) problems.push({ reason: 'errors', message: `${errors} error(s)` });
  const set = compile(parsed, options.compile);
  const hits = options.countHits === false ? undefined : new HitCounter(set);
  const policy = AccessPolicy.create(hits?.mappings ?? set, options.access);
  if (policy instanceof TupleError) {
    return new PolicyLoadError(`access options: ${policy.message}`, parsed.diagnostics, policy, 'load-failed');
  }
  const audit = auditMappings(parsed, { channels: policy.options.channels });
  const openRelay = audit instanceof TupleError ? 'unknown' : audit.openRelay;
  if (basis) {
    if (parsed.tables.length === 0) problems.push({ reason: 'empty', message: 'holds no table' });
    const names = new Set(parsed.tables.map((table) => table.name));
    const lost = ACCESS_TABLES.filter((table) => basis.inUse.policy.mappings.has(table) && !names.has(table));
    if (lost.length > 0) problems.push({ reason: 'lost-table', message: `lost ${lost.join(', ')}, which the tables in use define` });
    if (basis.inUse.openRelay === 'no' && openRelay !== 'no') {
      const verdict = openRelay === 'yes' ? 'are' : 'may be';
      problems.push({ reason: 'relay-guard', message: `the tables in use are not an open relay, the new ones ${verdict} (imsmap audit)` });
    }
  }
  const forcedPast = problems[0];
  if (forcedPast && !force) return refuse(forcedPast.reason, forcedPast.message);

  const built: PolicyGeneration = {
    generation,
    policy,
    diagnostics: parsed.diagnostics,
    // A compiled file stands for its sources: it is what a deployment replaces, and what is watched.
    files: compiled ? [file] : parsed.files,
    hits,
    loadedAt: new Date(),
    sha256: mainState.sha256,
    openRelay,
    forced: forcedPast !== undefined,
  };
  return forcedPast ? { generation: built, forcedPast } : { generation: built };
}
