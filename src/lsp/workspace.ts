import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ConfigError, type LintConfig } from '../lint/config-types.js';
import { defaultLintConfig } from '../lint/config.js';
import { LintContext } from '../lint/context.js';
import { IncrementalLinter } from '../lint/incremental.js';
import { findLintConfig, isIgnored, loadLintConfig } from '../lint/node.js';
import type { ParsedMappings } from '../syntax/ast.js';
import type { Diagnostic } from '../syntax/diagnostics.js';
import { readMappingsFile, type IncludeReader } from '../syntax/index.js';
import { fileSystemReader } from '../syntax/node.js';

/** The file a document URI stands for; a URI that is not a file (an unsaved buffer) is its own name. */
export function fileOfUri(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
}

/** The URI of a file a diagnostic or an entry names. */
export function uriOfFile(file: string): string {
  return path.isAbsolute(file) ? pathToFileURL(file).href : file;
}

/** How editors decode a file: UTF-8, a BOM dropped, invalid bytes replaced. */
const EDITOR_DECODER = new TextDecoder();

/** One check of a document: the parse, the lint context over it, and every diagnostic of the lint. */
export interface CheckedDocument {
  file: string;
  text: string;
  parsed: ParsedMappings;
  context: LintContext;
  /** Every diagnostic `imsmap lint` gives for the file, includes' among them; empty when the configuration ignores it. */
  diagnostics: Diagnostic[];
  /** The configuration could not be read: the defaults were used. */
  configError?: ConfigError;
}

/**
 * The open documents and their latest checks. Includes are read from the open documents first
 * (unsaved text counts), then from disk, so that an edit to an included file shows in its includers.
 */
export class MappingsWorkspace {
  private readonly texts = new Map<string, string>();
  private readonly checks = new Map<string, CheckedDocument>();
  /** Each open document's linter, which reuses what an edit left unchanged. */
  private readonly linters = new Map<string, IncrementalLinter>();
  private readonly disk: IncludeReader;

  constructor(private readonly root: string) {
    this.disk = fileSystemReader(root);
  }

  /**
   * Reads a file as the parser should see it: the open document's text, else the file on disk. An
   * open document whose text is the file's as an editor decodes it (BOM dropped, invalid UTF-8
   * replaced) is read from disk, so that F1's findings on the bytes are the ones `imsmap lint` gives.
   */
  readonly reader: IncludeReader = (file) => {
    const open = this.texts.get(path.resolve(this.root, file));
    const disk = this.disk(file);
    if (open === undefined) return disk;
    return disk instanceof Uint8Array && EDITOR_DECODER.decode(disk) === open ? disk : open;
  };

  /** Records the text of an opened or edited document; the next check sees it. */
  setText(file: string, text: string): void {
    this.texts.set(path.resolve(this.root, file), text);
  }

  /** Forgets a closed document: includes read it from disk again. */
  close(file: string): void {
    this.texts.delete(path.resolve(this.root, file));
    this.checks.delete(file);
    this.linters.delete(file);
  }

  /** Whether a document is open. */
  isOpen(file: string): boolean {
    return this.texts.has(path.resolve(this.root, file));
  }

  /** The open documents. */
  openFiles(): string[] {
    return [...this.checks.keys()];
  }

  /** Parses and lints an open document as `imsmap lint` would, and keeps the result. */
  check(file: string): CheckedDocument {
    const text = this.texts.get(path.resolve(this.root, file)) ?? '';
    const found = this.configFor(file);
    const config = found instanceof ConfigError ? defaultLintConfig(this.root) : found;
    // An open document always reads; a closed one that cannot be read is `unreadable-file`, not empty.
    const parsed = readMappingsFile(file, this.reader);
    let linter = this.linters.get(file);
    if (linter === undefined) this.linters.set(file, (linter = new IncrementalLinter()));
    const checked: CheckedDocument = {
      file,
      text,
      parsed,
      context: new LintContext(parsed, config),
      diagnostics: isIgnored(file, config, this.root) ? [] : linter.lint(parsed, { config, readFile: this.reader }),
    };
    if (found instanceof ConfigError) checked.configError = found;
    this.checks.set(file, checked);
    return checked;
  }

  /** The latest check of an open document, checking it if it has none. */
  checked(file: string): CheckedDocument | undefined {
    if (!this.isOpen(file)) return undefined;
    return this.checks.get(file) ?? this.check(file);
  }

  /** The open documents whose last check read `file` through an include (F7), the file itself left out. */
  includers(file: string): string[] {
    const wanted = path.resolve(this.root, file);
    return [...this.checks.values()]
      .filter((checked) => checked.file !== file && checked.parsed.files.slice(1).some((read) => path.resolve(this.root, read) === wanted))
      .map((checked) => checked.file);
  }

  /** The configuration `imsmap lint` would use for the file: next to it, else in the workspace root, else the defaults. */
  private configFor(file: string): LintConfig | ConfigError {
    const found = path.isAbsolute(file) ? findLintConfig(file, this.root) : null;
    return found === null ? defaultLintConfig(this.root) : loadLintConfig(found);
  }
}

