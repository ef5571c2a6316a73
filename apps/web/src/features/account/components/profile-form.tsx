import { useState, type FormEvent } from 'react';
import { BIO_MAX_LENGTH, EMAIL_MAX_LENGTH, IMAGE_URL_MAX_LENGTH, isImageUrl, USERNAME_MAX_LENGTH } from '@conduit/contracts';
import { Alert } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { splitErrors } from '@/lib/form-errors';
import type { AccountUser } from '../api/get-current-user';
import { useUpdateUser } from '../api/update-user';

type ProfileField = 'username' | 'email' | 'bio' | 'image';

export function ProfileForm({ user }: { user: AccountUser }) {
  const update = useUpdateUser();
  const [username, setUsername] = useState(user.username);
  const [email, setEmail] = useState(user.email);
  const [bio, setBio] = useState(user.bio ?? '');
  const [image, setImage] = useState(user.image ?? '');
  const [clientErrors, setClientErrors] = useState<Partial<Record<ProfileField, string[]>>>({});
  const [saved, setSaved] = useState(false);

  const server = splitErrors<ProfileField>(update.error, ['username', 'email', 'bio', 'image']);
  const errors = { ...server.byField, ...clientErrors };

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // The button stays enabled (and focused) while saving; a second press does nothing.
    if (update.isPending) return;
    setSaved(false);
    const form = event.currentTarget;
    const next: Partial<Record<ProfileField, string[]>> = {};
    if (!username.trim()) next.username = ['Enter a username.'];
    else if (username.trim().length > USERNAME_MAX_LENGTH) next.username = [`Use at most ${USERNAME_MAX_LENGTH} characters.`];
    if (!email.trim()) next.email = ['Enter your email address.'];
    else if (!/^[^\s@]+@[^\s@]+$/.test(email.trim()) || email.length > EMAIL_MAX_LENGTH) next.email = ['Enter a valid email address.'];
    if (bio.length > BIO_MAX_LENGTH) next.bio = [`Use at most ${BIO_MAX_LENGTH} characters.`];
    if (image.trim() && !isImageUrl(image.trim())) {
      next.image = [`Enter a full http(s) URL of at most ${IMAGE_URL_MAX_LENGTH} characters, e.g. https://example.com/me.png.`];
    }
    setClientErrors(next);
    if (Object.keys(next).length > 0) {
      requestAnimationFrame(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    try {
      await update.mutateAsync({
        user: { username: username.trim(), email: email.trim(), bio: bio.trim() || null, image: image.trim() || null },
      });
      setSaved(true);
    } catch {
      requestAnimationFrame(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
    }
  }

  return (
    <section className="card" aria-labelledby="profile-title">
      <h2 id="profile-title" className="section-title">
        Profile
      </h2>
      <form className="form" onSubmit={onSubmit} noValidate aria-labelledby="profile-title">
        {server.other.length > 0 ? <Alert tone="error">{server.other.join(' ')}</Alert> : null}
        <div className="form__grid">
          <Field label="Username" errors={errors.username}>
            {(p) => <input {...p} name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} />}
          </Field>
          <Field label="Email" errors={errors.email}>
            {(p) => <input {...p} type="email" name="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} />}
          </Field>
        </div>
        <Field label="Bio" optional errors={errors.bio}>
          {(p) => <textarea {...p} name="bio" rows={3} value={bio} onChange={(e) => setBio(e.target.value)} />}
        </Field>
        <Field label="Image URL" optional hint="A link to your avatar picture." errors={errors.image}>
          {(p) => <input {...p} type="url" name="image" inputMode="url" value={image} onChange={(e) => setImage(e.target.value)} />}
        </Field>
        <div className="form__actions">
          <button type="submit" className="btn btn--primary" aria-disabled={update.isPending || undefined}>
            {update.isPending ? 'Saving…' : 'Save profile'}
          </button>
          <span role="status" aria-live="polite" className="form__status form__status--ok">
            {saved && !update.isPending ? 'Profile saved.' : ''}
          </span>
        </div>
      </form>
    </section>
  );
}
