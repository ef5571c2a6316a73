import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { SecurityEvent, SecurityLogResponse } from '@conduit/contracts';
import { LastUsedTracker } from '../../src/api-tokens/last-used.tracker';
import { TokenRefusals } from '../../src/security-log/token-refusals';
import { http } from './app';

/** Ends the open refusal windows and writes everything queued (events, last use, recent IPs). */
export async function settle(app: NestFastifyApplication): Promise<void> {
  await app.get(LastUsedTracker).flush();
  await app.get(TokenRefusals).flush();
}

/** The account's security log, as the API answers it (one page). */
export async function securityLog(app: NestFastifyApplication, session: string, query = ''): Promise<SecurityLogResponse> {
  const res = await http(app).get(`/api/user/security-log${query}`).set('Authorization', `Bearer ${session}`);
  if (res.status !== 200) throw new Error(`security log: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as SecurityLogResponse;
}

/** Every event, oldest first (the log pages newest first), after settling. */
export async function allEvents(app: NestFastifyApplication, session: string, query = ''): Promise<SecurityEvent[]> {
  await settle(app);
  const out: SecurityEvent[] = [];
  let before: string | null = null;
  do {
    const page: SecurityLogResponse = await securityLog(app, session, `?limit=100${query}${before ? `&before=${before}` : ''}`);
    out.push(...page.events);
    before = page.nextCursor;
  } while (before);
  return out.reverse();
}
