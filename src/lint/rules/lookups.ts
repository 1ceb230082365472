import type { LintConfig, ProviderKind } from '../config-types.js';
import type { LintRule } from '../rule.js';
import { tableRule } from '../scope.js';
import { nodeSpan, templateNodes } from '../templates.js';

/** T10: whether a routine is declared, by `image,routine` or by its name alone. */
export function routineDeclared(config: Pick<LintConfig, 'routines'>, image: string, routine: string): boolean {
  return config.routines.includes(`${image},${routine}`) || config.routines.includes(routine);
}

/** T10: a site routine the configuration does not declare fails at run time. */
export const unregisteredRoutine: LintRule = tableRule(
  {
    code: 'unregistered-routine',
    defaultSeverity: 'warning',
    stage: 'lint',
    spec: 'T10',
    description: 'A `$[image,routine,argument]` call of a routine the configuration does not declare; an unregistered routine fails the substitution.',
    help: 'Declare the routine under "routines" in imsmap.config.json, by name or as "image,routine", and register it with the engine.',
  },
  {
    *checkTable(context, table) {
      for (const entry of table.entries) {
        for (const node of templateNodes(entry.templateNodes)) {
          if (node.kind !== 'routine' || node.routine === '' || routineDeclared(context.config, node.image, node.routine)) continue;
          yield {
            span: nodeSpan(entry, node),
            message: `routine ${node.routine} (image ${node.image}) is not registered: the substitution fails (T10)`,
            hint: `declare "${node.routine}" or "${node.image},${node.routine}" under "routines" in imsmap.config.json`,
          };
        }
      }
    },
  },
);

/** The lookups without a default provider (T11), by node kind. */
const PROVIDED_LOOKUPS: Record<string, { kind: ProviderKind; what: string }> = {
  url: { kind: 'url', what: 'URL lookup `$]…[`' },
  domain: { kind: 'domain', what: 'domain lookup `$}…{`' },
};

/** T11: `$]…[` and `$}…{` have no default provider and fail without one. */
export const noProvider: LintRule = tableRule(
  {
    code: 'no-provider',
    defaultSeverity: 'warning',
    stage: 'lint',
    spec: 'T11',
    description:
      'A URL lookup `$]…[` or domain lookup `$}…{` while the configuration declares no provider for it; without one the lookup always fails. (`${…}` and `$#…#` have default providers.)',
    help: 'Declare the provider ("url" or "domain") under "providers" in imsmap.config.json and pass it to the engine.',
  },
  {
    *checkTable(context, table) {
      for (const entry of table.entries) {
        for (const node of templateNodes(entry.templateNodes)) {
          const lookup = PROVIDED_LOOKUPS[node.kind];
          if (!lookup || context.config.providers.includes(lookup.kind)) continue;
          yield {
            span: nodeSpan(entry, node),
            message: `no ${lookup.kind} provider is declared, so this ${lookup.what} always fails (T11)`,
            hint: `declare "${lookup.kind}" under "providers" in imsmap.config.json`,
          };
        }
      }
    },
  },
);
