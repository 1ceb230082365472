// `imsmap --version`, `--help` and every command start close to bare Node only if the CLI's entry
// loads no stage: each command's module (with the stages it needs) is a dynamic import of the
// registry (src/cli/commands.ts). esbuild, which bundles the CLI, tells which files the entry reaches
// through static imports alone; none of them may be a package or a stage that a command brings.
import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../adapters/helpers.js';

/** The inputs reachable from `entry` through static imports, by esbuild's own module graph. */
function staticallyReached(metafile: Metafile, entry: string): string[] {
  const reached = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const input = pending.pop()!;
    if (reached.has(input)) continue;
    reached.add(input);
    for (const imported of metafile.inputs[input]?.imports ?? []) {
      if (imported.kind !== 'dynamic-import' && !imported.external) pending.push(imported.path);
    }
  }
  return [...reached].sort();
}

/** esbuild's module graph of the CLI, bundled as scripts/build-cli.mjs bundles it. */
async function cliMetafile(): Promise<Metafile> {
  const { metafile } = await build({
    entryPoints: [path.join(ROOT, 'src/cli/main.ts')],
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    outdir: 'out',
    splitting: true,
    metafile: true,
    logLevel: 'silent',
  });
  return metafile;
}

describe('the CLI entry', () => {
  it('reaches no package and no stage through static imports: commands load theirs when they run', async () => {
    const reached = staticallyReached(await cliMetafile(), 'src/cli/main.ts');
    expect(reached.filter((input) => input.includes('node_modules/'))).toEqual([]);
    // What --help needs: the registry, the option types, the formatter names its usage lines show.
    expect(reached.filter((input) => /^src\/(syntax|compile|engine|access|ldap|lsp|cases)\//.test(input) && input !== 'src/syntax/escape.ts')).toEqual([]);
    expect(reached).toContain('src/cli/commands.ts');
  });
});

// `test`, `decide` and `check` ask a site's directory only when a configuration file says so: finding none,
// they load neither the configuration's validation with the rule catalogue it checks codes against, nor
// the LDAP client (src/cli/load.ts imports those when a file is found or named).
describe.each(['test', 'decide', 'check'])('the %s command', (command) => {
  it('reaches neither the lint rules and configuration validation nor the LDAP providers through static imports', async () => {
    const reached = staticallyReached(await cliMetafile(), `src/cli/${command}.ts`);
    expect(reached.filter((input) => /node_modules\/(ldapts|micromatch)\//.test(input))).toEqual([]);
    expect(reached.filter((input) => /^src\/lint\/(catalogue|config|lint|node|rules\/.*)\.ts$/.test(input))).toEqual([]);
    expect(reached.filter((input) => /^src\/ldap\/(config|providers|directory)\.ts$/.test(input))).toEqual([]);
    expect(reached).toContain('src/lint/find-config.ts');
  });
});
