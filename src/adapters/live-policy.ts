import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { Decision } from '../access/decision.js';
import { AccessPolicy, type StageInput } from '../access/policy.js';
import { TupleError, type AccessOptions } from '../access/schemas.js';
import type { CompileOptions } from '../engine/index.js';
import { compile } from '../engine/node.js';
import { hasErrors, type Diagnostic } from '../syntax/diagnostics.js';
import type { IncludeReader } from '../syntax/index.js';
import { loadMappings } from '../syntax/node.js';
import { HitCounter, type HitReport } from './hit-counter.js';

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
}

/** What a reload did: replaced the tables, or kept the old ones because the file has errors (F14). */
export interface ReloadResult {
  replaced: boolean;
  /** The generation in use after the reload. */
  generation: number;
  /** The diagnostics of the file just read. */
  diagnostics: Diagnostic[];
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
  /** Quiet time after the last change before reloading, so that an editor's several writes give one reload. */
  debounceMs?: number;
  /** Told about every reload the watcher made, failed ones included. */
  onReload?: (result: ReloadResult) => void;
}

const DEFAULT_DEBOUNCE_MS = 100;

/**
 * An access policy over a mappings file that can be reloaded while decisions run. Each generation is an
 * immutable AccessPolicy; a reload builds the next one completely and then swaps one reference, so a
 * decision — which takes the policy once, when it starts — finishes on the tables it started with and
 * never sees a mix. A file with errors leaves the tables in use unchanged (F14).
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
    const built = buildGeneration(absolute, options, 1, false);
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

  /** Reads the file again; with errors the tables in use stay, unless `force` asks to take them anyway (F14). */
  reload(options: { force?: boolean } = {}): ReloadResult {
    const next = this.generationInUse.generation + 1;
    const built = buildGeneration(this.file, this.options, next, options.force === true);
    if (built instanceof PolicyLoadError) {
      return { replaced: false, generation: this.generationInUse.generation, diagnostics: [...built.diagnostics] };
    }
    this.generationInUse = built;
    return { replaced: true, generation: next, diagnostics: [...built.diagnostics] };
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
          timer = setTimeout(reloadNow, debounceMs);
        }),
      );
    };
    const reloadNow = (): void => {
      const result = this.reload();
      const files = this.generationInUse.files;
      if (files.join('\n') !== watchedFiles.join('\n')) arm(files);
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

/** Builds one generation, or says why the file cannot become one. */
function buildGeneration(
  file: string,
  options: LivePolicyOptions,
  generation: number,
  force: boolean,
): PolicyGeneration | PolicyLoadError {
  const parsed = loadMappings(file, options.readInclude === undefined ? {} : { readInclude: options.readInclude });
  const unreadable = parsed.diagnostics.some((diagnostic) => diagnostic.code === 'unreadable-file');
  if (unreadable || (hasErrors(parsed.diagnostics) && !force)) {
    const errors = parsed.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
    return new PolicyLoadError(`${file}: ${errors} error(s); the tables were not loaded`, parsed.diagnostics);
  }
  const set = compile(parsed, options.compile);
  const hits = options.countHits === false ? undefined : new HitCounter(set);
  const policy = AccessPolicy.create(hits?.mappings ?? set, options.access);
  if (policy instanceof TupleError) {
    return new PolicyLoadError(`access options: ${policy.message}`, parsed.diagnostics, policy);
  }
  return { generation, policy, diagnostics: parsed.diagnostics, files: parsed.files, hits, loadedAt: new Date() };
}
