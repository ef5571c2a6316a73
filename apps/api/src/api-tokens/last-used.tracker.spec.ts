import type { AppConfig } from '../config/config';
import type { Clock } from '../common/clock';
import type { PgStatements } from '../database/pg-statements';
import { LastUsedTracker } from './last-used.tracker';

describe('LastUsedTracker', () => {
  let now: number;
  let writes: unknown[][];
  const clock = { now: () => new Date(now) } as Clock;
  const statements = { query: async (_n: string, _t: string, values: unknown[]) => void writes.push(values) } as unknown as PgStatements;
  const tracker = (tracking = true) =>
    new LastUsedTracker({ lastUsedTracking: tracking, lastUsedIntervalSeconds: 60 } as AppConfig, statements, clock);

  beforeEach(() => {
    now = Date.parse('2026-01-01T00:00:00Z');
    writes = [];
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
    expect(writes[2]).toEqual(['a', new Date(now), '2.2.2.2']);
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

  it('writes nothing when tracking is off', async () => {
    const t = tracker(false);
    t.record('a', '1.1.1.1', null);
    await t.flush();
    expect(writes).toEqual([]);
  });
});
