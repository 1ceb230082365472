// Part of `npm run build`: bundles the CLI (package.json `bin`) into dist/cli/main.js with its
// dependencies, so that it starts close to bare Node: one module to read instead of the hundreds that
// resolving and opening the tsc output and node_modules (chevrotain with lodash-es) took. Each
// command's module is a dynamic import (src/cli/commands.ts); with code splitting it becomes a chunk
// of its own in dist/cli/chunks/, read only when that command runs, so `imsmap --version` reads the
// small entry alone. The language server's packages (dev dependencies) are bundled into the `lsp`
// chunk, so `imsmap lsp` works from an installed package without them.
import { chmodSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist/cli');

// Chunk names change with their content: old ones would otherwise pile up.
rmSync(join(out, 'chunks'), { recursive: true, force: true });
const { metafile } = await build({
  // The path `bin` has always named: npx keeps a link to a project's bin in its cache and does not
  // renew it when `bin` changes, so a new path would leave earlier users running a stale file.
  entryPoints: { main: join(root, 'src/cli/main.ts') },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: out,
  // Two folders below the package root, like the tsc output: src/cli/main.ts and src/lint/format/sarif.ts
  // find package.json by a relative path that holds from dist/cli/ and from dist/cli/chunks/ alike.
  chunkNames: 'chunks/[name]-[hash]',
  // Smaller text is less for V8 to scan when a chunk loads; identifiers keep their names for --debug traces.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: false,
  legalComments: 'none',
  // Bundled CommonJS packages (micromatch, ipaddr.js, the language server) call require for Node's modules.
  banner: { js: "import { createRequire as __imsmapRequire } from 'node:module'; const require = __imsmapRequire(import.meta.url);" },
  metafile: true,
  logLevel: 'warning',
});
chmodSync(join(out, 'main.js'), 0o755);

/** The folders of the packages the bundle took code from, e.g. node_modules/@chevrotain/gast. */
function bundledPackages() {
  const folders = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) folders.add(match[1]);
  }
  return [...folders].sort();
}

// The bundle carries other packages' code, so it carries their licences too.
const notices = bundledPackages().map((folder) => {
  const { name, version, license } = JSON.parse(readFileSync(join(root, folder, 'package.json'), 'utf8'));
  const licenseFile = readdirSync(join(root, folder)).find((file) => /^(licen[cs]e|copying)/i.test(file));
  const text = licenseFile === undefined ? `License: ${license}` : readFileSync(join(root, folder, licenseFile), 'utf8').trim();
  return `${name} ${version} (${license})\n\n${text}\n`;
});
writeFileSync(join(out, 'THIRD-PARTY-LICENSES.txt'), `The imsmap CLI bundle (main.js and chunks/) includes code of these packages:\n\n${notices.join('\n---\n\n')}`);
