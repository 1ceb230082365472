import net from 'node:net';

// The authentication back end of the real-Postfix tests: Postfix's smtpd checks AUTH PLAIN passwords
// through the Dovecot authentication protocol (smtpd_sasl_type = dovecot), and this answers it for a
// fixed set of accounts. Postfix, its SASL layer and the SMTP AUTH dialogue are the real ones; only the
// password store stands in for Dovecot, which is not what the tests are about.

/** A running authentication service on a loopback port. */
export interface AuthService {
  port: number;
  close(): Promise<void>;
}

/** The handshake Postfix waits for: protocol version 1, the PLAIN mechanism, then DONE. */
const HANDSHAKE = 'VERSION\t1\t2\nMECH\tPLAIN\tplaintext\nSPID\t1\nCUID\t1\nCOOKIE\t' + '0'.repeat(32) + '\nDONE\n';

/** One answer to an `AUTH <id> PLAIN … resp=<base64>` request. */
function authAnswer(line: string, accounts: ReadonlyMap<string, string>): string {
  const [, id, mechanism, ...parameters] = line.split('\t');
  const response = parameters.find((parameter) => parameter.startsWith('resp='))?.slice('resp='.length);
  if (mechanism !== 'PLAIN' || response === undefined) return `FAIL\t${id}\treason=unsupported\n`;
  // RFC 4616: authzid NUL authcid NUL passwd.
  const [, user = '', password] = Buffer.from(response, 'base64').toString('utf8').split('\0');
  return accounts.get(user) === password && password !== undefined ? `OK\t${id}\tuser=${user}\n` : `FAIL\t${id}\tuser=${user}\n`;
}

/** Starts the service on 127.0.0.1 with the accounts (user → password). */
export async function startAuthService(accounts: ReadonlyMap<string, string>): Promise<AuthService> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.write(HANDSHAKE);
    let pending = '';
    socket.on('data', (chunk) => {
      pending += chunk.toString('utf8');
      let end: number;
      while ((end = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, end);
        pending = pending.slice(end + 1);
        if (line.startsWith('AUTH\t')) socket.write(authAnswer(line, accounts));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
