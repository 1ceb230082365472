import { spawn } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, temporaryDirectory } from '../adapters/helpers.js';
import { MTA_DN, MTA_PASSWORD, Slapd } from './slapd.mjs';

// End to end: the built `imsmap decide` in its own process, its configuration next to the mappings file
// naming a real slapd. T11a: the directory's answers decide; an outage is 451 4.3.0, never an acceptance.

const CLI = path.join(ROOT, 'dist/cli/main.js');
const OPTIONS = ['--options', JSON.stringify({ channels: { localDomains: ['siroe.com'] } })];

const server = { serverIp: '127.0.0.1', serverPort: 25, clientPort: 40000 };
const inside = { stage: 'rcpt', ...server, clientIp: '127.0.0.1' };
const outside = { stage: 'rcpt', ...server, clientIp: '127.0.0.5', from: 'someone@example.net' };

/** Tuples and the directory's answer to each (fixtures/ldap). */
const CASES = [
  { tuple: { ...outside, to: 'olga@siroe.com' }, action: 'reject', reply: '550 5.7.1 Mailbox inactive: olga@siroe.com' },
  { tuple: { ...outside, to: 'norman@siroe.com' }, action: 'accept' },
  { tuple: { ...inside, from: 'adam@siroe.com', to: 'x@example.org' }, action: 'accept' },
  { tuple: { ...inside, from: 'norman@siroe.com', to: 'x@example.org' }, action: 'reject', reply: '550 5.7.1 Internet access not permitted: x@example.org' },
  { tuple: { ...inside, from: 'adam@siroe.com', to: 'bob@sesta.com' }, action: 'reject', reply: '550 5.7.1 Domain inactive: bob@sesta.com' },
];

interface DecisionJson {
  action: string;
  temporary?: boolean;
  reply?: { code: number; enhanced?: string; lines: string[] };
  results: Array<{ outcome: string; mapping?: { error?: { code: string } } }>;
}

const replyOf = (decision: DecisionJson) =>
  decision.reply ? `${decision.reply.code} ${decision.reply.enhanced} ${decision.reply.lines.join(' ')}` : undefined;

let slapd: Slapd;
let folder: { directory: string; remove: () => void };
let mappings: string;

/** Writes imsmap.config.json next to the mappings file. */
function configure(ldap: Record<string, unknown> = {}): void {
  const config = {
    providers: { ldap: { url: slapd.url, bind: { dn: MTA_DN, passwordFile: 'ldap.secret' }, timeoutMs: 1000, ...ldap } },
  };
  writeFileSync(path.join(folder.directory, 'imsmap.config.json'), JSON.stringify(config));
}

/**
 * Runs `imsmap decide --json` as a co-process: `script` sends tuples one at a time through `ask`, which
 * resolves with the decision the command writes back, and acts on the directory in between.
 */
async function decide(
  script: (ask: (tuple: object) => Promise<DecisionJson>) => Promise<void>,
): Promise<{ status: number | null; decisions: DecisionJson[]; stderr: string }> {
  const child = spawn(process.execPath, [CLI, 'decide', mappings, '--json', ...OPTIONS], { stdio: ['pipe', 'pipe', 'pipe'] });
  const decisions: DecisionJson[] = [];
  const waiting: Array<(decision: DecisionJson) => void> = [];
  let partial = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    const lines = (partial + String(chunk)).split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      const decision = JSON.parse(line) as DecisionJson;
      decisions.push(decision);
      waiting.shift()?.(decision);
    }
  });
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const ask = (tuple: object) =>
    new Promise<DecisionJson>((resolve) => {
      waiting.push(resolve);
      child.stdin.write(JSON.stringify(tuple) + '\n');
    });
  await Promise.race([script(ask), exited]);
  child.stdin.end();
  // The process must end by itself: the LDAP connections are closed when the batch is done.
  const status = await exited;
  return { status, decisions, stderr };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  slapd = await Slapd.start();
  folder = temporaryDirectory('imsmap-ldap-decide-');
  mappings = path.join(folder.directory, 'mappings');
  copyFileSync(path.join(ROOT, 'fixtures/ldap/mappings'), mappings);
  writeFileSync(path.join(folder.directory, 'ldap.secret'), MTA_PASSWORD + '\n');
});

afterAll(async () => {
  await slapd?.remove();
  folder?.remove();
});

describe('imsmap decide with providers.ldap', () => {
  it("directory-dependent rules give the directory's answer", async () => {
    configure();
    const run = await decide(async (ask) => {
      for (const { tuple } of CASES) await ask(tuple);
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.decisions.map((decision) => [decision.action, replyOf(decision)])).toEqual(CASES.map(({ action, reply }) => [action, reply]));
  });

  it('a user added with ldapadd during the run is seen once the cache TTL has passed', async () => {
    configure({ cache: { ttlSeconds: 2 } });
    const paula = { ...inside, from: 'paula@siroe.com', to: 'x@example.org' };
    const run = await decide(async (ask) => {
      await ask(paula);
      slapd.ldapadd(
        'dn: uid=paula,ou=People,o=siroe.com,o=isp\nobjectClass: inetOrgPerson\nobjectClass: inetMailUser\n' +
          'uid: paula\ncn: Paula\nsn: P\nmail: paula@siroe.com\nsiteInternetAccess: TRUE\n',
      );
      await ask(paula);
      await pause(2100);
      await ask(paula);
    });
    expect(run.decisions.map((decision) => decision.action)).toEqual(['reject', 'reject', 'accept']);
  });

  it('slapd stopped mid-run: 451 4.3.0 temporary rejections, never an acceptance the directory would refuse', async () => {
    configure({ cache: { ttlSeconds: 0 } });
    try {
      const run = await decide(async (ask) => {
        await ask(CASES[2]!.tuple);
        await slapd.stop();
        for (const { tuple } of CASES) await ask(tuple);
      });
      expect(run.status).toBe(1);
      const [before, ...during] = run.decisions;
      expect(before!.action).toBe('accept');
      expect(during).toHaveLength(CASES.length);
      for (const decision of during) {
        expect(decision).toMatchObject({ action: 'reject', temporary: true, reply: { code: 451, enhanced: '4.3.0' } });
        expect(decision.results.find((result) => result.outcome === 'error')?.mapping?.error?.code).toBe('ProviderUnavailable');
      }
    } finally {
      await slapd.restart();
    }
  });

  it('the cache answers what it holds during an outage; everything else is 451, no acceptance the rules would not give', async () => {
    configure({ cache: { ttlSeconds: 60 } });
    try {
      const run = await decide(async (ask) => {
        for (const { tuple } of CASES.slice(0, 2)) await ask(tuple);
        await slapd.stop();
        for (const { tuple } of CASES) await ask(tuple);
      });
      const during = run.decisions.slice(2);
      during.forEach((decision, index) => {
        const { action, reply } = CASES[index]!;
        const answered = decision.action === action && replyOf(decision) === reply;
        const deferred = decision.temporary === true && decision.reply?.code === 451;
        expect(answered || deferred, JSON.stringify(decision)).toBe(true);
      });
      expect(during.slice(0, 2).map((decision) => decision.action)).toEqual(['reject', 'accept']);
      expect(during.slice(2).every((decision) => decision.temporary === true)).toBe(true);
    } finally {
      await slapd.restart();
    }
  });

  it('a directory that accepts the connection but never answers hits the time-out: 451 4.3.0', async () => {
    configure({ timeoutMs: 400 });
    slapd.pause();
    try {
      const started = Date.now();
      const run = await decide(async (ask) => {
        await ask(CASES[1]!.tuple);
      });
      expect(run.decisions[0]).toMatchObject({ action: 'reject', temporary: true, reply: { code: 451, enhanced: '4.3.0' } });
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      slapd.resume();
    }
  });

  it('a password that cannot be read is an invalid configuration: exit 2, nothing decided', async () => {
    configure({ bind: { dn: MTA_DN, passwordEnv: 'IMSMAP_UNSET_PASSWORD_VARIABLE' } });
    const run = await decide(async (ask) => {
      await ask(CASES[0]!.tuple);
    });
    expect(run.status).toBe(2);
    expect(run.decisions).toEqual([]);
    expect(run.stderr).toContain('IMSMAP_UNSET_PASSWORD_VARIABLE');
  });
});
