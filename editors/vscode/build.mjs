// Bundles the client and the server (with the imsmap stages it runs) into dist/, and copies the
// repository's TextMate grammar beside them: the .vsix then needs no node_modules.
import { copyFileSync, mkdirSync } from 'node:fs';
import { build } from 'esbuild';

mkdirSync('dist', { recursive: true });
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: false, logLevel: 'warning' };
await build({ ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] });
await build({ ...common, entryPoints: ['src/server.ts'], outfile: 'dist/server.js' });
copyFileSync('../../grammar/mappings.tmLanguage.json', 'dist/mappings.tmLanguage.json');
