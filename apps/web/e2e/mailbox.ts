import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
}

/**
 * A real SMTP server on 127.0.0.1 for the browser tests (npm smtp-server): it accepts every
 * message and appends it, parsed, as one JSON line to `file`, which the tests read (they run in
 * other processes than the global setup).
 */
export async function startMailbox(file: string): Promise<{ url: string; file: string; stop: () => Promise<void> }> {
  writeFileSync(file, '');
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const to = Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : (mail.to?.text ?? '');
          const received: ReceivedMail = { to, subject: mail.subject ?? '', text: mail.text ?? '' };
          appendFileSync(file, `${JSON.stringify(received)}\n`);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    file,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The messages received so far for `to`. */
export function mailsTo(file: string, to: string): ReceivedMail[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ReceivedMail)
    .filter((m) => m.to.includes(to));
}

/** Waits for the `count`th message to `to` (mail is sent in the background, through the API's outbox). */
export async function waitForMail(file: string, to: string, count = 1, timeoutMs = 30_000): Promise<ReceivedMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = mailsTo(file, to);
    if (found.length >= count) return found[count - 1];
    if (Date.now() > deadline) throw new Error(`no mail #${count} to ${to} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
