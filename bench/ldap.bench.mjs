// Access decisions per second with directory rules (fixtures/ldap/mappings: inactive mailboxes, inactive
// domains, Internet access by a user attribute) against a real slapd started for the run, the LDAP
// cache cold (every lookup asks the directory) and warm, beside the same rules answered from memory.
// Figures only. Needs OpenLDAP's slapd (skipped with a note when it is not installed) and a build.
import { existsSync, readFileSync } from 'node:fs';
import { AccessPolicy, compile, parseMappings } from '../dist/index.js';
import { createLdapProviders } from '../dist/public/providers.js';
import { MTA_DN, MTA_PASSWORD, SLAPD, Slapd } from '../test/ldap/slapd.mjs';
import { fmt } from './measure.mjs';

if (!existsSync(SLAPD)) {
  console.log(`${SLAPD} is not installed: no LDAP figures (apt-get install slapd ldap-utils)`);
  process.exit(0);
}

const parsed = parseMappings(readFileSync(new URL('../fixtures/ldap/mappings', import.meta.url), 'utf8'), { file: 'mappings' });
const access = { channels: { localDomains: ['siroe.com'] } };
const server = { stage: 'rcpt', serverIp: '127.0.0.1', serverPort: 25, clientPort: 40000 };
const tuples = [
  { ...server, clientIp: '127.0.0.5', from: 'someone@example.net', to: 'olga@siroe.com' },
  { ...server, clientIp: '127.0.0.5', from: 'someone@example.net', to: 'norman@siroe.com' },
  { ...server, clientIp: '127.0.0.1', from: 'adam@siroe.com', to: 'x@example.org' },
  { ...server, clientIp: '127.0.0.1', from: 'norman@siroe.com', to: 'x@example.org' },
  { ...server, clientIp: '127.0.0.1', from: 'adam@siroe.com', to: 'bob@sesta.com' },
];

/** Decisions per second over the tuples in turn, `concurrency` decisions in flight, for about `ms`. */
async function decisionsPerSecond(policy, concurrency, ms = 1500) {
  let count = 0;
  const start = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - start) / 1e6;
  const worker = async (offset) => {
    for (let index = offset; elapsed() < ms; index += concurrency) {
      const decision = await policy.decideAsync(tuples[index % tuples.length]);
      if (decision.temporary) throw new Error(`the directory could not answer: ${JSON.stringify(decision.reply)}`);
      count += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_unused, offset) => worker(offset)));
  return (count / elapsed()) * 1000;
}

const slapd = await Slapd.start();
const opened = [];
const ldapPolicy = (cache) => {
  const providers = createLdapProviders({ url: slapd.url, bind: { dn: MTA_DN, passwordEnv: 'P' }, cache, poolSize: 4 }, { env: { P: MTA_PASSWORD } });
  opened.push(providers);
  return AccessPolicy.create(compile(parsed, { providers: { url: providers.url, domain: providers.domain } }), access);
};

try {
  // The baseline: the same rules, every lookup answered from a map recorded from the directory.
  const recorded = new Map();
  const recorder = createLdapProviders({ url: slapd.url, bind: { dn: MTA_DN, passwordEnv: 'P' } }, { env: { P: MTA_PASSWORD } });
  opened.push(recorder);
  const recording = AccessPolicy.create(
    compile(parsed, {
      providers: {
        url: async (url, context) => {
          const answer = await recorder.url(url, context);
          recorded.set(`url ${url}`, answer);
          return answer;
        },
        domain: async (domain, attribute, context) => {
          const answer = await recorder.domain(domain, attribute, context);
          recorded.set(`domain ${domain},${attribute}`, answer);
          return answer;
        },
      },
    }),
    access,
  );
  for (const tuple of tuples) await recording.decideAsync(tuple);
  const inMemory = AccessPolicy.create(
    compile(parsed, {
      providers: {
        url: (url) => recorded.get(`url ${url}`) ?? null,
        domain: (domain, attribute) => recorded.get(`domain ${domain},${attribute}`) ?? null,
      },
    }),
    access,
  );

  const baseline = await decisionsPerSecond(inMemory, 1);
  console.log(`${'same rules, lookups answered from memory (baseline)'.padEnd(58)} ${fmt(baseline).padStart(10)} decisions/s`);
  const cold = ldapPolicy({ ttlSeconds: 0 });
  for (const concurrency of [1, 16]) {
    const figure = await decisionsPerSecond(cold, concurrency);
    // With several decisions in flight, identical lookups running at once share one question to slapd.
    const label = `LDAP, cache cold (every lookup asks slapd), ${concurrency} in flight`;
    console.log(`${label.padEnd(58)} ${fmt(figure).padStart(10)} decisions/s  (${fmt(figure / baseline, 3)} × baseline)`);
  }
  const warm = ldapPolicy({ ttlSeconds: 600, maxEntries: 10_000 });
  for (const tuple of tuples) await warm.decideAsync(tuple);
  const warmFigure = await decisionsPerSecond(warm, 1);
  console.log(`${'LDAP, cache warm'.padEnd(58)} ${fmt(warmFigure).padStart(10)} decisions/s  (${fmt(warmFigure / baseline, 3)} × baseline)`);
} finally {
  for (const providers of opened) providers.close();
  await slapd.remove();
}
