import path from 'node:path';
import type { ParsedMappings } from '../syntax/ast.js';
import { escapeControls } from '../syntax/index.js';
import { CompiledFileError, loadAnyMappingsFile } from '../engine/snapshot/node.js';
import { noSiteProviders, type ConfiguredProviders } from '../ldap/configured.js';
import { CONFIG_FILE_NAME, ConfigError, type LintConfig } from '../lint/config-types.js';
import { findLintConfig } from '../lint/find-config.js';
import { formatDiagnosticLine } from '../lint/format/text.js';
import type { CommandIO } from './command.js';

/**
 * Reads the mappings file a command names, text or compiled (`imsmap build`, told apart by content),
 * and prints its diagnostics on standard error (X4); a compiled file that is stale, corrupt or
 * foreign is refused with one line naming why.
 * Paths stay as the user typed them, relative to the working directory, so diagnostics and entry
 * references point where the user looks. Null when the file itself cannot be read or is refused.
 */
export function loadCommandFile(file: string, io: CommandIO): ParsedMappings | null {
  const parsed = loadAnyMappingsFile(file, { cwd: io.cwd });
  if (parsed instanceof CompiledFileError) {
    io.stderr.write(escapeControls(`${file}: error: ${parsed.message} [compiled-${parsed.problem}]`) + '\n');
    return null;
  }
  for (const diagnostic of parsed.diagnostics) io.stderr.write(formatDiagnosticLine(diagnostic) + '\n');
  return parsed.diagnostics.some((diagnostic) => diagnostic.code === 'unreadable-file') ? null : parsed;
}

/**
 * The providers of the configuration that applies to a mappings file (`--config`, else the one next to it,
 * else the one in the working directory): its LDAP directory, if any. Null, after saying why, when the
 * configuration is invalid or its password cannot be read.
 */
export async function loadCommandProviders(command: string, file: string, named: string | undefined, io: CommandIO): Promise<ConfiguredProviders | null> {
  const configFile = named === undefined ? findLintConfig(file, io.cwd) : path.resolve(io.cwd, named);
  // The defaults configure no directory; only a configuration file needs its validation (zod) and the rule catalogue.
  if (configFile === null) return noSiteProviders();
  const { loadLintConfig } = await import('../lint/node.js');
  const config = loadLintConfig(configFile);
  if (config instanceof ConfigError) {
    io.stderr.write(`imsmap ${command}: ${config.message}\n`);
    return null;
  }
  return providersOfConfig(command, config, io);
}

/** The providers of an already resolved configuration; null, after saying why, when its password cannot be read. */
export async function providersOfConfig(command: string, config: LintConfig, io: CommandIO): Promise<ConfiguredProviders | null> {
  const { configuredProviders } = await import('../ldap/index.js');
  try {
    return configuredProviders(config);
  } catch (error) {
    io.stderr.write(`imsmap ${command}: ${config.file ?? CONFIG_FILE_NAME}: ${(error as Error).message}\n`);
    return null;
  }
}
