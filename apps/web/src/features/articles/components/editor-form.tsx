import { useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import {
  ARTICLE_BODY_MAX_LENGTH,
  ARTICLE_DESCRIPTION_MAX_LENGTH,
  ARTICLE_MAX_TAGS,
  ARTICLE_TITLE_MAX_LENGTH,
  TAG_MAX_LENGTH,
  type Article,
} from '@conduit/contracts';
import { Alert } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { splitErrors } from '@/lib/form-errors';
import { useFocusFirstInvalidOnError } from '@/features/auth/components/login-form';
import { useCreateArticle } from '../api/create-article';
import { useUpdateArticle } from '../api/update-article';

type EditorField = 'title' | 'description' | 'body' | 'tagList';

/**
 * Create (no `article`) or edit an article: title, description, markdown body and tags. A tag is
 * added with Enter (or a comma) and removed with its ✕ button or Backspace in the empty tag field.
 * Validation is the API's: its 422 messages appear under the fields they are about.
 */
export function EditorForm({ article, onSaved }: { article?: Article; onSaved: (slug: string) => void }) {
  const create = useCreateArticle();
  const update = useUpdateArticle();
  const mutation = article ? update : create;
  const [title, setTitle] = useState(article?.title ?? '');
  const [description, setDescription] = useState(article?.description ?? '');
  const [body, setBody] = useState(article?.body ?? '');
  const [tags, setTags] = useState<string[]>(article?.tagList ?? []);
  const [tagInput, setTagInput] = useState('');
  const [tagError, setTagError] = useState<string[]>([]);
  const [tagStatus, setTagStatus] = useState('');
  const tagField = useRef<HTMLInputElement>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const server = splitErrors<EditorField>(mutation.error, ['title', 'description', 'body', 'tagList']);
  useFocusFirstInvalidOnError(mutation.error, formRef);
  const errors = { ...server.byField, ...(tagError.length > 0 ? { tagList: tagError } : {}) };

  function addTag(): boolean {
    const tag = tagInput.trim();
    if (!tag) return false;
    if (tag.length > TAG_MAX_LENGTH) {
      setTagError([`A tag has at most ${TAG_MAX_LENGTH} characters.`]);
      return true;
    }
    if (tags.includes(tag)) {
      setTagInput('');
      setTagStatus(`${tag} is already a tag.`);
      return true;
    }
    if (tags.length >= ARTICLE_MAX_TAGS) {
      setTagError([`An article has at most ${ARTICLE_MAX_TAGS} tags.`]);
      return true;
    }
    setTags([...tags, tag]);
    setTagInput('');
    setTagError([]);
    setTagStatus(`Tag ${tag} added.`);
    return true;
  }

  function removeTag(tag: string) {
    setTags(tags.filter((t) => t !== tag));
    setTagError([]);
    setTagStatus(`Tag ${tag} removed.`);
    tagField.current?.focus();
  }

  function onTagKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'Enter' || event.key === ',') {
      // Enter adds the tag; it never submits the form from here.
      event.preventDefault();
      addTag();
    } else if (event.key === 'Backspace' && tagInput === '' && tags.length > 0) {
      removeTag(tags[tags.length - 1]);
    }
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // A tag typed but not yet added counts.
    const pending = tagInput.trim();
    const tagList = pending && !tags.includes(pending) ? [...tags, pending] : tags;
    if (pending) {
      setTags(tagList);
      setTagInput('');
    }
    try {
      const saved = article
        ? await update.mutateAsync({ slug: article.slug, body: { article: { title, description, body, tagList } } })
        : await create.mutateAsync({ article: { title, description, body, tagList } });
      onSaved(saved.article.slug);
    } catch {
      // The API's answer is shown from the mutation's error; useFocusFirstInvalidOnError focuses it.
    }
  }

  return (
    <form ref={formRef} className="form editor-form" onSubmit={onSubmit} noValidate aria-label={article ? 'Edit article' : 'New article'}>
      {server.other.length > 0 ? <Alert tone="error">{server.other.join(' ')}</Alert> : null}
      <Field label="Title" errors={errors.title}>
        {(p) => (
          <input
            {...p}
            name="title"
            className="editor-form__title"
            placeholder="Article Title"
            maxLength={ARTICLE_TITLE_MAX_LENGTH}
            value={title}
            onChange={(e) => setTitle(e.target.value)}
          />
        )}
      </Field>
      <Field label="Description" errors={errors.description}>
        {(p) => (
          <input
            {...p}
            name="description"
            placeholder="What's this article about?"
            maxLength={ARTICLE_DESCRIPTION_MAX_LENGTH}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        )}
      </Field>
      <Field label="Body" hint="Markdown: headings, lists, links, code, quotes. HTML is not rendered." errors={errors.body}>
        {(p) => (
          <textarea
            {...p}
            name="body"
            rows={12}
            placeholder="Write your article (in markdown)"
            maxLength={ARTICLE_BODY_MAX_LENGTH}
            value={body}
            onChange={(e) => setBody(e.target.value)}
          />
        )}
      </Field>
      <Field label="Tags" optional hint="Press Enter after each tag." errors={errors.tagList}>
        {(p) => (
          <input
            {...p}
            ref={tagField}
            name="tags"
            placeholder="Enter tags"
            autoComplete="off"
            maxLength={TAG_MAX_LENGTH + 1}
            value={tagInput}
            onChange={(e) => {
              setTagInput(e.target.value);
              setTagError([]);
            }}
            onKeyDown={onTagKeyDown}
          />
        )}
      </Field>
      {tags.length > 0 ? (
        <ul className="tag-list editor-form__tags" aria-label="Tags of this article">
          {tags.map((tag) => (
            <li key={tag} className="tag-pill tag-default tag-pill--removable">
              <span>{tag}</span>
              <button type="button" className="tag-pill__remove" aria-label={`Remove tag ${tag}`} onClick={() => removeTag(tag)}>
                <span aria-hidden="true">✕</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <p className="visually-hidden" role="status" aria-live="polite">
        {tagStatus}
      </p>
      <div className="form__actions">
        <button type="submit" className="btn btn--primary" disabled={mutation.isPending}>
          {mutation.isPending ? 'Publishing…' : 'Publish Article'}
        </button>
      </div>
    </form>
  );
}
