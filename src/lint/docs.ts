import { ruleCatalogue } from './catalogue.js';
import type { RuleMeta } from './rule.js';

const INTRODUCTION = `# Lint rules

<!-- Generated from the rule metadata in src/lint by scripts/gen-lint-rules.mjs. Do not edit by hand:
     run \`node scripts/gen-lint-rules.mjs\`; test/lint/catalogue.test.ts fails when this file is stale. -->

\`imsmap lint FILE|GLOB…\` reports every rule below. Each finding carries the rule's stable code, a
severity and a position (see docs/diagnostics.md). Parse errors skip the offending line or entry and are
always reported; every other rule can be set to \`off\`, \`info\`, \`warning\` or \`error\` in
\`imsmap.config.json\` (next to the linted file, or in the working directory, or given with \`--config\`):

\`\`\`json
{
  "rules": { "no-anti-relay": "error", "duplicate-entry": "off" },
  "ignores": ["legacy/**"],
  "routines": ["grosscheck", "/opt/lib/site.so,check"],
  "providers": ["url"],
  "channels": { "localDomains": ["corp.example"], "submitPorts": [587] }
}
\`\`\`

\`routines\` and \`providers\` declare what the site registers with the engine (format.md T10, T11;
\`providers\` may also be an object whose \`ldap\` section configures the directory, see docs/ldap.md);
\`channels\` is the channel model of access.md A24. A comment \`! imsmap-disable-next-line CODE[, CODE…]\`
in column 1 suppresses those codes on the next line that is not blank or a comment.

Exit status: 0 clean, 1 when a finding is at error level or the warnings exceed \`--max-warnings\`,
2 for a usage error, an unreadable file or an invalid configuration.
`;

function tableRow(rule: RuleMeta): string {
  return `| [\`${rule.code}\`](#${rule.code}) | ${rule.defaultSeverity} | ${rule.spec} |`;
}

function section(rule: RuleMeta): string {
  return [`### \`${rule.code}\``, '', `Default: **${rule.defaultSeverity}** · spec: ${rule.spec}`, '', rule.description, '', `What to do: ${rule.help}`, ''].join('\n');
}

function group(title: string, rules: readonly RuleMeta[]): string {
  return [`## ${title}`, '', '| Code | Default | Spec |', '|---|---|---|', ...rules.map(tableRow), '', ...rules.map(section)].join('\n');
}

/** docs/lint-rules.md: the catalogue of every rule, made from the rules' own metadata. */
export function renderRuleCatalogue(): string {
  const parser = ruleCatalogue.filter((rule) => rule.stage === 'parser');
  const lint = ruleCatalogue.filter((rule) => rule.stage === 'lint');
  return [INTRODUCTION, group('Rules over the tables and their meaning', lint), group('Parser diagnostics (format.md F16)', parser)].join('\n');
}
