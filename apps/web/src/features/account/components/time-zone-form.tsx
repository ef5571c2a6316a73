import { useMemo, useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { describeTimeZone, formatDateTime } from '@/lib/format-date';
import { splitErrors } from '@/lib/form-errors';
import { browserTimeZone, isValidTimeZone, supportedTimeZones } from '@/lib/time-zone';
import { useUpdateUser } from '../api/update-user';

export function TimeZoneForm({ timezone }: { timezone: string }) {
  const update = useUpdateUser();
  const zones = useMemo(() => supportedTimeZones(), []);
  const browserZone = browserTimeZone();
  const [zone, setZone] = useState(timezone);
  const [clientError, setClientError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const server = splitErrors<'timezone'>(update.error, ['timezone']);
  const errors = clientError ? [clientError] : server.byField.timezone;
  const preview = isValidTimeZone(zone) ? `${formatDateTime(new Date(), zone)} · ${describeTimeZone(zone)}` : null;

  async function save(next: string) {
    setSaved(false);
    if (!isValidTimeZone(next) || (!zones.includes(next) && next !== 'UTC')) {
      setClientError('Pick a time zone from the list, e.g. Europe/Paris.');
      return;
    }
    setClientError(null);
    try {
      await update.mutateAsync({ user: { timezone: next } });
      setSaved(true);
    } catch {
      // Shown from update.error.
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (update.isPending) return;
    void save(zone.trim());
  }

  return (
    <section className="card" aria-labelledby="timezone-title">
      <h2 id="timezone-title" className="section-title">
        Time zone
      </h2>
      <form className="form" onSubmit={onSubmit} noValidate aria-labelledby="timezone-title">
        {server.other.length > 0 ? <Alert tone="error">{server.other.join(' ')}</Alert> : null}
        <Field
          label="Time zone"
          hint={`Dates across Conduit are shown in this zone. Type to search (${zones.length} zones).`}
          errors={errors}
        >
          {(p) => (
            <input
              {...p}
              name="timezone"
              list="timezone-options"
              autoComplete="off"
              spellCheck={false}
              value={zone}
              onChange={(e) => {
                setZone(e.target.value);
                setClientError(null);
                setSaved(false);
              }}
            />
          )}
        </Field>
        <datalist id="timezone-options">
          {zones.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
        {preview ? <p className="form__note">Now: {preview}</p> : null}
        <div className="form__actions">
          <button type="submit" className="btn btn--primary" aria-disabled={update.isPending || undefined}>
            {update.isPending ? 'Saving…' : 'Save time zone'}
          </button>
          {browserZone !== timezone ? (
            <button
              type="button"
              className="btn btn--secondary"
              disabled={update.isPending}
              onClick={() => {
                setZone(browserZone);
                void save(browserZone);
              }}
            >
              Use my browser’s time zone ({browserZone})
            </button>
          ) : null}
          <span role="status" aria-live="polite" className="form__status form__status--ok">
            {saved && !update.isPending ? 'Time zone saved.' : ''}
          </span>
        </div>
      </form>
    </section>
  );
}
