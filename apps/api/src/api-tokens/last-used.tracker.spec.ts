import type { AppConfig } from '../config/config';
import type { Clock } from '../common/clock';
import type { SecurityEvents } from '../security-log/security-events.service';
import type { ApiTokensRepository } from './api-tokens.repository';
import { LastUsedTracker } from './last-used.tracker';

describe('LastUsedTracker', () => {
  let now: number;
  let writes: unknown[][];
  let events: Array<{ type: string; origin?: unknown; token?: unknown }>;
  const clock = { now: () => new Date(now) } as Clock;
  // The tracker's decisions (when to write, what); the statement itself is the repository's.
  const tokens = { recordUse: async (...values: unknown[]) => void writes.push(values) } as unknown as ApiTokensRepository;
  const tracker = (tracking = true) =>
    new LastUsedTracker({ lastUsedTracking: tracking, lastUsedIntervalSeconds: 60 } as AppConfig, tokens, clock, {
      record: (e: { type: string }) => void events.push(e),
    } as unknown as SecurityEvents);

  beforeEach(() => {
    now = Date.parse('2026-01-01T00:00:00Z');
    writes = [];
    events = [];
  });

  it('writes the first use at once, then at most once per interval per token', async () => {
    const t = tracker();
    t.record('a', '1.1.1.1', null);
    t.record('a', '1.1.1.1', null);
    t.record('b', '1.1.1.1', null);
    now += 59_000;
    t.record('a', '2.2.2.2', null);
    await t.flush();
    expect(writes.map((w) => w[0])).toEqual(['a', 'b']);
    now += 2_000;
    t.record('a', '2.2.2.2', null);
    await t.flush();
    expect(writes).toHaveLength(3);
    expect(writes[2]).toEqual(['a', new Date(now), '2.2.2.2', ['1.1.1.1', '2.2.2.2'], [new Date(now - 61_000).toISOString(), new Date(now).toISOString()]]);
  });

  it('skips the write when the stored value is recent (another instance wrote it)', async () => {
    const t = tracker();
    t.record('a', '1.1.1.1', now - 10_000);
    await t.flush();
    expect(writes).toEqual([]);
    t.record('c', '1.1.1.1', now - 61_000);
    await t.flush();
    expect(writes).toHaveLength(1);
  });

  it('reports the first use, then a new address once, from what authentication read plus what it has seen', async () => {
    const t = tracker();
    t.record('a', '1.1.1.1', null, '[]', 'u1', 'curl/8');
    t.record('a', '1.1.1.1', null, '[]', 'u1', 'curl/8');
    expect(events.map((e) => e.type)).toEqual(['token.first_used']);
    expect(events[0]).toMatchObject({ origin: { ip: '1.1.1.1', userAgent: 'curl/8' }, token: { id: 'a' } });
    now += 1000;
    t.record('a', '2.2.2.2', now - 1000, '[{"ip": "1.1.1.1", "lastSeenAt": "2026-01-01T00:00:00.000Z"}]', 'u1');
    t.record('a', '2.2.2.2', now - 1000, '[{"ip": "1.1.1.1", "lastSeenAt": "2026-01-01T00:00:00.000Z"}]', 'u1');
    expect(events.map((e) => e.type)).toEqual(['token.first_used', 'token.new_ip']);
    // A new address is written at once, even within the interval.
    await t.flush();
    expect(writes.map((w) => w[2])).toEqual(['1.1.1.1', '2.2.2.2']);
    // Another process: an address among the stored ones is not new; one that only contains it as a prefix is.
    const other = tracker();
    other.record('a', '2.2.2.2', now, '[{"ip": "2.2.2.2", "lastSeenAt": "x"}]', 'u1');
    other.record('a', '2.2.2.22', now, '[{"ip": "2.2.2.2", "lastSeenAt": "x"}]', 'u1');
    expect(events.map((e) => e.type)).toEqual(['token.first_used', 'token.new_ip', 'token.new_ip']);
  });

  it('the stored last 5 decide: an address that fell out of them is new again in the same process', async () => {
    const t = tracker();
    const stored = (...ips: string[]) => JSON.stringify(ips.map((ip) => ({ ip, lastSeenAt: 'x' })));
    t.record('a', '1.1.1.1', null, '[]', 'u1');
    now += 20_000;
    t.record('a', '1.1.1.1', now, stored('1.1.1.1'), 'u1');
    // Five other addresses pushed it out of the stored list; this process still remembers it.
    now += 20_000;
    t.record('a', '1.1.1.1', now, stored('2.2.2.2', '3.3.3.3', '4.4.4.4', '5.5.5.5', '6.6.6.6'), 'u1');
    expect(events.map((e) => e.type)).toEqual(['token.first_used', 'token.new_ip']);
    // Requests that read the row before that write landed do not announce it again.
    now += 1_000;
    t.record('a', '1.1.1.1', now, stored('2.2.2.2', '3.3.3.3', '4.4.4.4', '5.5.5.5', '6.6.6.6'), 'u1');
    expect(events).toHaveLength(2);
    await t.flush();
    expect(writes.map((w) => w[2])).toEqual(['1.1.1.1', '1.1.1.1']);
  });

  it('writes nothing when tracking is off', async () => {
    const t = tracker(false);
    t.record('a', '1.1.1.1', null);
    await t.flush();
    expect(writes).toEqual([]);
  });
});
