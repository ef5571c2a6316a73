import { useId } from 'react';
import {
  API_TOKEN_RESOURCE_DESCRIPTIONS,
  API_TOKEN_RESOURCES,
  PERMISSION_PRESETS,
  type ApiTokenPermissionPreset,
  type ApiTokenPermissions,
  type ApiTokenResource,
  type PermissionLevel,
} from '@conduit/contracts';
import { Field } from '@/components/ui/field';

export type PermissionsChoice = ApiTokenPermissionPreset | 'custom';

export interface PermissionsValue {
  choice: PermissionsChoice;
  /** The levels under "Custom" (kept when switching back and forth). */
  custom: ApiTokenPermissions;
}

/** What the form sends for a choice. */
export function chosenPermissions(value: PermissionsValue): ApiTokenPermissions {
  return value.choice === 'custom' ? value.custom : PERMISSION_PRESETS[value.choice];
}

const CHOICES: Array<{ value: PermissionsChoice; label: string; hint: string }> = [
  { value: 'read-only', label: 'Read-only', hint: 'Read articles, comments, profiles and your account; change nothing.' },
  { value: 'read-write', label: 'Read and write', hint: 'Also publish, comment, follow, favorite and update your profile.' },
  { value: 'custom', label: 'Custom', hint: 'Choose the access to each resource.' },
];

const LEVEL_LABELS: Record<PermissionLevel, string> = { none: 'None', read: 'Read', write: 'Read and write' };

interface PermissionsFieldProps {
  value: PermissionsValue;
  onChange: (value: PermissionsValue) => void;
  errors?: readonly string[];
}

/** The "Permissions" section of the create form: a preset, or a level per resource under "Custom". */
export function PermissionsField({ value, onChange, errors = [] }: PermissionsFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const nothing = value.choice === 'custom' && API_TOKEN_RESOURCES.every((r) => value.custom[r] === 'none');

  function choose(choice: PermissionsChoice) {
    // "Custom" starts from the preset it replaces, so that it is a tweak rather than a blank slate.
    const custom = choice === 'custom' && value.choice !== 'custom' ? PERMISSION_PRESETS[value.choice] : value.custom;
    onChange({ choice, custom });
  }

  function setLevel(resource: ApiTokenResource, level: PermissionLevel) {
    onChange({ choice: 'custom', custom: { ...value.custom, [resource]: level } });
  }

  return (
    <fieldset
      className="field permissions"
      aria-describedby={[hintId, errors.length > 0 ? errorId : ''].filter(Boolean).join(' ')}
    >
      <legend className="field__label">Permissions</legend>
      <div id={hintId} className="field__hint">
        Give the token the least it needs. No token can create tokens, change your email or password, or delete
        your account.
      </div>
      <div className="choices" role="radiogroup" aria-label="Permissions preset">
        {CHOICES.map((c) => (
          <div key={c.value} className="choice">
            <input
              type="radio"
              id={`${id}-${c.value}`}
              name={`${id}-preset`}
              value={c.value}
              checked={value.choice === c.value}
              onChange={() => choose(c.value)}
              aria-describedby={`${id}-${c.value}-hint`}
            />
            <label htmlFor={`${id}-${c.value}`} className="choice__label">
              {c.label}
            </label>
            <span id={`${id}-${c.value}-hint`} className="field__hint choice__hint">
              {c.hint}
            </span>
          </div>
        ))}
      </div>
      {value.choice === 'custom' ? (
        <div className="permissions__custom">
          {API_TOKEN_RESOURCES.map((resource) => {
            const d = API_TOKEN_RESOURCE_DESCRIPTIONS[resource];
            return (
              <Field key={resource} label={d.label} hint={`Read: ${d.read}. Read and write: ${d.write}.`}>
                {(p) => (
                  <select
                    {...p}
                    name={`permissions.${resource}`}
                    value={value.custom[resource]}
                    onChange={(e) => setLevel(resource, e.target.value as PermissionLevel)}
                  >
                    {(Object.keys(LEVEL_LABELS) as PermissionLevel[]).map((level) => (
                      <option key={level} value={level}>
                        {LEVEL_LABELS[level]}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            );
          })}
          {nothing ? (
            <p className="form__note" role="note">
              With no access to anything, the token can only inspect and revoke itself.
            </p>
          ) : null}
        </div>
      ) : null}
      {errors.length > 0 ? (
        <ul id={errorId} className="field__errors">
          {errors.map((message, i) => (
            <li key={i}>{message}</li>
          ))}
        </ul>
      ) : null}
    </fieldset>
  );
}
