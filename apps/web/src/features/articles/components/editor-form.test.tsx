import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { resetSessionForTests } from '@/lib/session';
import { buildArticle, buildProfile, buildUser } from '@/testing/factories';
import { createMockApi } from '@/testing/mock-api';
import { server } from '@/testing/msw-server';
import { renderApp } from '@/testing/render';

const ada = buildUser({ username: 'ada' });

describe('editor', () => {
  it('adds tags with Enter, removes them, and publishes the article', async () => {
    const api = createMockApi({ user: ada });
    server.use(...api.handlers);
    resetSessionForTests(ada);
    const { user, router } = renderApp('/editor');

    expect(await screen.findByRole('heading', { name: 'New Article', level: 1 })).toBeInTheDocument();
    await user.type(screen.getByPlaceholderText('Article Title'), 'Tokens in CI');
    await user.type(screen.getByPlaceholderText("What's this article about?"), 'Short-lived beats long-lived');
    await user.type(screen.getByPlaceholderText('Write your article (in markdown)'), '# Why{Enter}{Enter}Because.');
    const tagField = screen.getByPlaceholderText('Enter tags');
    await user.type(tagField, 'security{Enter}ci{Enter}oops{Enter}');
    const tags = () => within(screen.getByRole('list', { name: 'Tags of this article' })).getAllByRole('listitem').map((li) => li.firstChild?.textContent);
    expect(tags()).toEqual(['security', 'ci', 'oops']);
    // Enter in the tag field added tags; it did not submit the form.
    expect(api.state.calls.some((c) => c.method === 'POST')).toBe(false);

    await user.click(screen.getByRole('button', { name: 'Remove tag oops' }));
    expect(tags()).toEqual(['security', 'ci']);
    expect(tagField).toHaveFocus();
    await user.type(tagField, 'ci{Enter}');
    expect(tags()).toEqual(['security', 'ci']);

    await user.click(screen.getByRole('button', { name: 'Publish Article' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/article/tokens-in-ci'));
    expect(await screen.findByRole('heading', { name: 'Tokens in CI', level: 1 })).toBeInTheDocument();
    const post = api.state.calls.find((c) => c.method === 'POST' && c.path === '/api/articles');
    expect(post?.body).toEqual({
      article: { title: 'Tokens in CI', description: 'Short-lived beats long-lived', body: '# Why\n\nBecause.', tagList: ['security', 'ci'] },
    });
  });

  it('shows the API’s 422 messages under the fields they are about', async () => {
    const api = createMockApi({ user: ada });
    server.use(...api.handlers);
    resetSessionForTests(ada);
    const { user, router } = renderApp('/editor');
    await user.type(await screen.findByPlaceholderText('Write your article (in markdown)'), 'Only a body');
    await user.click(screen.getByRole('button', { name: 'Publish Article' }));

    await waitFor(() => expect(screen.getByPlaceholderText('Article Title')).toHaveAccessibleDescription("Title can't be blank"));
    expect(screen.getByPlaceholderText("What's this article about?")).toHaveAccessibleDescription("Description can't be blank");
    expect(screen.getByPlaceholderText('Article Title')).toHaveAttribute('aria-invalid', 'true');
    await waitFor(() => expect(screen.getByPlaceholderText('Article Title')).toHaveFocus());
    expect(router.state.location.pathname).toBe('/editor');
  });

  it('edits an article: prefilled, tags replaced, saved with PUT', async () => {
    const mine = buildArticle({ title: 'Draft', body: 'Old body', tagList: ['old', 'keep'], author: buildProfile({ username: 'ada' }) });
    const api = createMockApi({ user: ada, articles: [mine] });
    server.use(...api.handlers);
    resetSessionForTests(ada);
    const { user, router } = renderApp('/editor/draft');

    const title = await screen.findByPlaceholderText('Article Title');
    expect(title).toHaveValue('Draft');
    expect(screen.getByPlaceholderText('Write your article (in markdown)')).toHaveValue('Old body');
    await user.click(screen.getByRole('button', { name: 'Remove tag old' }));
    // Backspace in the empty tag field removes the last tag too.
    await user.type(screen.getByPlaceholderText('Enter tags'), '{Backspace}new{Enter}');
    await user.clear(title);
    await user.type(title, 'Final');
    await user.click(screen.getByRole('button', { name: 'Publish Article' }));

    await waitFor(() => expect(router.state.location.pathname).toBe('/article/final'));
    const put = api.state.calls.find((c) => c.method === 'PUT');
    expect(put?.path).toBe('/api/articles/draft');
    expect(put?.body).toMatchObject({ article: { title: 'Final', tagList: ['new'] } });
  });

  it('does not offer to edit someone else’s article', async () => {
    server.use(...createMockApi({ user: ada, articles: [buildArticle({ title: 'Theirs', author: buildProfile({ username: 'grace' }) })] }).handlers);
    resetSessionForTests(ada);
    renderApp('/editor/theirs');
    expect(await screen.findByRole('heading', { name: 'You cannot edit this article', level: 1 })).toBeInTheDocument();
    expect(screen.queryByPlaceholderText('Article Title')).not.toBeInTheDocument();
  });
});
