import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import type { CreateTrustPolicyRequest, TestTrustPolicyResponse, TrustPolicy } from '@conduit/contracts';
import { resetSessionForTests } from '@/lib/session';
import { buildUser } from '@/testing/factories';
import { createMockApi } from '@/testing/mock-api';
import { server } from '@/testing/msw-server';
import { renderApp } from '@/testing/render';
import { githubActionsSnippet, gitlabCiSnippet } from './workflow-snippets';

const GITHUB = 'https://token.actions.githubusercontent.com';
const GITLAB = 'https://gitlab.com';
const AUDIENCE = 'https://conduit.example.com';

function policy(overrides: Partial<TrustPolicy> = {}): TrustPolicy {
  return {
    id: '2b1c4b0e-0d7a-4c55-9d0c-3f1d7a6a1e01', name: 'site deploys', issuer: GITHUB, audience: AUDIENCE,
    conditions: { repository_owner_id: '424242', repository: 'acme/site', ref: 'refs/heads/main' },
    permissions: { articles: 'write', comments: 'none', social: 'none', account: 'read' }, allowedIps: [], tokenLifetimeSeconds: 900,
    createdAt: '2026-12-01T10:00:00.000Z', lastExchangedAt: '2026-12-02T10:00:00.000Z',
    recentExchanges: [{ at: '2026-12-02T10:00:00.000Z', tokenId: 't1', repository: 'acme/site', ref: 'refs/heads/main', run: '987654321', ip: '203.0.113.7' }],
    ...overrides,
  };
}

/** The app's usual mock API, plus the trust-policy endpoints over an in-memory list. */
function setup(initial: TrustPolicy[] = []) {
  resetSessionForTests(buildUser({ timezone: 'UTC' }));
  const api = createMockApi();
  const state = { policies: [...initial], created: [] as CreateTrustPolicyRequest[], tested: [] as string[], deleted: [] as string[] };
  server.use(...api.handlers);
  server.use(
    http.get('/api/user/trust-policies', () =>
      HttpResponse.json({ trustPolicies: state.policies, trustedIssuers: [GITHUB, GITLAB, 'http://127.0.0.1:9999'], defaultAudience: AUDIENCE }),
    ),
    http.post('/api/user/trust-policies', async ({ request }) => {
      const body = (await request.json()) as CreateTrustPolicyRequest;
      state.created.push(body);
      const conditions = body.trustPolicy.conditions;
      if (!conditions.repository_owner_id && !conditions.namespace_id && !conditions.project_id && !conditions.sub) {
        return HttpResponse.json({ errors: { conditions: ['must pin an owner with one of sub, repository_owner_id, repository_id, namespace_id, project_id'] } }, { status: 422 });
      }
      const created = policy({ id: '9f0e6a43-54cf-4c6a-8b0f-5a0ad1a1b202', ...body.trustPolicy, audience: body.trustPolicy.audience ?? AUDIENCE, recentExchanges: [], lastExchangedAt: null, permissions: { articles: 'read', comments: 'read', social: 'read', account: 'read' } });
      state.policies.push(created);
      return HttpResponse.json({ trustPolicy: created }, { status: 201 });
    }),
    http.post('/api/user/trust-policies/:id/test', async ({ request }) => {
      state.tested.push(((await request.json()) as { idToken: string }).idToken);
      return HttpResponse.json({
        wouldExchange: false,
        claims: { ref: 'refs/heads/dev' },
        checks: [
          { check: 'signature', passed: true, expected: null, actual: 'RS256', message: null },
          { check: 'claim ref', passed: false, expected: 'refs/heads/main', actual: 'refs/heads/dev', message: 'expected refs/heads/main, got refs/heads/dev' },
        ],
      } satisfies TestTrustPolicyResponse);
    }),
    http.delete('/api/user/trust-policies/:id', ({ params }) => {
      state.deleted.push(String(params.id));
      state.policies = state.policies.filter((p) => p.id !== params.id);
      return new HttpResponse(null, { status: 204 });
    }),
  );
  return { state, ...renderApp('/app/settings/trusted-ci') };
}

describe('Trusted CI page', () => {
  it('shows each policy: conditions, permissions, recent exchanges and the workflow snippet', async () => {
    setup([policy()]);
    const item = await screen.findByRole('listitem', { name: 'site deploys' });
    expect(within(item).getByText('GitHub Actions')).toBeInTheDocument();
    const conditions = within(item).getByRole('list', { name: 'Conditions of site deploys' });
    expect(conditions).toHaveTextContent('repository_owner_id = 424242');
    expect(conditions).toHaveTextContent('ref = refs/heads/main');
    const exchanges = within(item).getByRole('table', { name: 'Recent exchanges of site deploys' });
    expect(within(exchanges).getByText('987654321')).toBeInTheDocument();
    expect(within(exchanges).getByText('203.0.113.7')).toBeInTheDocument();
    const snippet = within(item).getByLabelText('Workflow snippet for site deploys');
    expect(snippet).toHaveTextContent('id-token: write');
    expect(snippet).toHaveTextContent('audience=https%3A%2F%2Fconduit.example.com');
    expect(snippet).toHaveTextContent('client_id=2b1c4b0e-0d7a-4c55-9d0c-3f1d7a6a1e01');
    // The settings navigation lists the page.
    expect(screen.getByRole('link', { name: 'Trusted CI' })).toHaveAttribute('href', '/app/settings/trusted-ci');
  });

  it('creates a policy from the GitHub Actions preset with labelled fields (no JSON)', async () => {
    const { user, state } = setup();
    await screen.findByText('No trust policies yet');
    await user.click(screen.getByRole('button', { name: '+ New policy' }));
    expect(screen.getByRole('radio', { name: 'GitHub Actions' })).toBeChecked();
    await user.type(screen.getByLabelText('Name'), 'site deploys');
    await user.type(screen.getByLabelText('Owner id'), '424242');
    await user.type(screen.getByLabelText(/^Repository \(optional\)/), 'acme/site');
    await user.type(screen.getByLabelText(/^Branch or tag/), 'refs/heads/main');
    expect(screen.getByLabelText('Audience')).toHaveValue(AUDIENCE);
    await user.selectOptions(screen.getByLabelText('Token lifetime'), '5 minutes');
    await user.click(screen.getByRole('button', { name: 'Create policy' }));
    await screen.findByText('Policy “site deploys” created');
    expect(state.created[0].trustPolicy).toMatchObject({
      name: 'site deploys', issuer: GITHUB, audience: AUDIENCE, tokenLifetimeSeconds: 300,
      conditions: { repository_owner_id: '424242', repository: 'acme/site', ref: 'refs/heads/main' },
    });
    expect(await screen.findByRole('listitem', { name: 'site deploys' })).toBeInTheDocument();
  });

  it('GitLab preset: namespace / project ids; the API’s 422 is shown on the conditions', async () => {
    const { user, state } = setup();
    await screen.findByText('No trust policies yet');
    await user.click(screen.getByRole('button', { name: '+ New policy' }));
    await user.click(screen.getByRole('radio', { name: 'GitLab CI' }));
    await user.type(screen.getByLabelText('Name'), 'gitlab');
    await user.type(screen.getByLabelText(/^Project path/), 'acme/site');
    await user.click(screen.getByRole('button', { name: 'Create policy' }));
    expect(await screen.findByText(/must pin an owner/)).toBeInTheDocument();
    expect(state.created[0].trustPolicy).toMatchObject({ issuer: GITLAB, conditions: { project_path: 'acme/site' } });
    await user.type(screen.getByLabelText('Project id'), '1234');
    await user.click(screen.getByRole('button', { name: 'Create policy' }));
    await screen.findByText('Policy “gitlab” created');
    expect(state.created[1].trustPolicy.conditions).toEqual({ project_id: '1234', project_path: 'acme/site' });
  });

  it('tests a pasted ID token and shows each check, expected and found', async () => {
    const { user, state } = setup([policy()]);
    const item = await screen.findByRole('listitem', { name: 'site deploys' });
    await user.click(within(item).getByText('Test an ID token'));
    await user.type(within(item).getByLabelText('ID token'), 'eyJhbGciOiJSUzI1NiJ9.e30.sig');
    await user.click(within(item).getByRole('button', { name: 'Check token' }));
    expect(await within(item).findByText('This token would be refused')).toBeInTheDocument();
    const row = within(item).getByRole('row', { name: /claim ref/ });
    expect(row).toHaveTextContent('Failed: expected refs/heads/main, got refs/heads/dev');
    expect(state.tested).toEqual(['eyJhbGciOiJSUzI1NiJ9.e30.sig']);
  });

  it('deletes a policy after confirmation', async () => {
    const { user, state } = setup([policy()]);
    const item = await screen.findByRole('listitem', { name: 'site deploys' });
    await user.click(within(item).getByRole('button', { name: 'Delete site deploys' }));
    const dialog = screen.getByRole('alertdialog');
    expect(dialog).toHaveTextContent('every token it issued that is still valid stops working at once');
    await user.click(within(dialog).getByRole('button', { name: 'Delete policy' }));
    await screen.findByText('No trust policies yet');
    expect(state.deleted).toEqual(['2b1c4b0e-0d7a-4c55-9d0c-3f1d7a6a1e01']);
  });
});

describe('workflow snippets', () => {
  const p = { id: 'pid', audience: 'https://conduit.example.com' };
  it('GitHub Actions: id-token: write, the audience, the exchange with curl, then the token', () => {
    const s = githubActionsSnippet('https://conduit.example.com', p);
    expect(s).toContain('id-token: write');
    expect(s).toContain('$ACTIONS_ID_TOKEN_REQUEST_URL&audience=https%3A%2F%2Fconduit.example.com');
    expect(s).toContain('-d grant_type=urn:ietf:params:oauth:grant-type:token-exchange');
    expect(s).toContain('--data-urlencode "subject_token=$ID_TOKEN"');
    expect(s).toContain('::add-mask::');
    expect(s).toContain('Authorization: Bearer $CONDUIT_TOKEN');
  });
  it('GitLab CI: id_tokens with the audience', () => {
    const s = gitlabCiSnippet('https://conduit.example.com', p);
    expect(s).toContain('id_tokens:\n    CONDUIT_ID_TOKEN:\n      aud: https://conduit.example.com');
    expect(s).toContain('--data-urlencode "subject_token=$CONDUIT_ID_TOKEN"');
  });
});
