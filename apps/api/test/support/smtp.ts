import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  user: string | undefined;
}

/**
 * A real SMTP server on 127.0.0.1 for a test (npm smtp-server): it accepts every message
 * (checking the credentials when given) and keeps them parsed.
 */
export class TestSmtpServer {
  readonly received: ReceivedMail[] = [];
  private server: SMTPServer | undefined;
  port = 0;

  constructor(private readonly credentials?: { user: string; pass: string }) {}

  get url(): string {
    const auth = this.credentials ? `${encodeURIComponent(this.credentials.user)}:${encodeURIComponent(this.credentials.pass)}@` : '';
    return `smtp://${auth}127.0.0.1:${this.port}`;
  }

  /** Starts listening (on `port`, or a free one). */
  async start(port = this.port): Promise<this> {
    const credentials = this.credentials;
    const server = new SMTPServer({
      disabledCommands: credentials ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
      allowInsecureAuth: true,
      authOptional: !credentials,
      logger: false,
      onAuth(auth, _session, callback) {
        if (credentials && auth.username === credentials.user && auth.password === credentials.pass) return callback(null, { user: auth.username });
        return callback(new Error('Invalid username or password'));
      },
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then((mail: ParsedMail) => {
            const address = (a: ParsedMail['from'] | ParsedMail['to']) => (Array.isArray(a) ? a.map((x) => x.text).join(', ') : a?.text ?? '');
            this.received.push({ from: address(mail.from), to: address(mail.to), subject: mail.subject ?? '', text: mail.text ?? '', user: session.user as string | undefined });
            callback();
          })
          .catch(callback);
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Waits until `count` messages have arrived (the send already completed when the job resolved; this covers parsing). */
  async waitFor(count: number, timeoutMs = 5000): Promise<ReceivedMail[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return this.received;
  }
}

/** A port with nothing listening on it (a mail server that is down). */
export async function closedPort(): Promise<number> {
  const probe = await new TestSmtpServer().start(0);
  const port = probe.port;
  await probe.stop();
  return port;
}
