// A bounded load generator (autocannon) that classifies every answer: 2xx, 503 in the error format,
// anything else (a failure), and connection errors / timeouts (failures too).
import autocannon from 'autocannon';

const ERROR_FORMAT_503 = (body) => {
  try {
    const parsed = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && typeof parsed.errors === 'object' && Object.keys(parsed).length === 1 &&
      Object.values(parsed.errors).every((v) => Array.isArray(v) && v.every((m) => typeof m === 'string'));
  } catch {
    return false;
  }
};

/**
 * Starts load on `url` (GET `path` with `headers`) with `connections` connections, for at most
 * `maxSeconds`; `stop()` ends it early and resolves with the counts.
 */
export function startLoad({ url, path, headers = {}, connections = 8, maxSeconds = 120 }) {
  const counts = { ok: 0, unavailable: 0, other: 0, otherSamples: [] };
  const instance = autocannon({
    url,
    connections,
    duration: maxSeconds,
    timeout: 20,
    requests: [
      {
        method: 'GET',
        path,
        headers,
        onResponse: (status, body) => {
          if (status >= 200 && status < 300) counts.ok += 1;
          else if (status === 503 && ERROR_FORMAT_503(body)) counts.unavailable += 1;
          else {
            counts.other += 1;
            if (counts.otherSamples.length < 5) counts.otherSamples.push(`${status} ${String(body).slice(0, 200)}`);
          }
        },
      },
    ],
  });
  const done = new Promise((resolve, reject) => {
    instance.on('done', (result) => resolve(result));
    instance.on('error', reject);
  });
  return {
    counts,
    async stop() {
      instance.stop();
      const result = await done;
      return {
        requests: counts.ok + counts.unavailable + counts.other + result.errors + result.timeouts,
        ok: counts.ok,
        unavailable: counts.unavailable,
        other: counts.other,
        otherSamples: counts.otherSamples,
        errors: result.errors,
        timeouts: result.timeouts,
        failed: counts.other + result.errors + result.timeouts,
      };
    },
  };
}
