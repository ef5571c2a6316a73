import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Usernames are unique case-insensitively, as emails are: `Alice` cannot sit next to `alice`.
 * The case-sensitive index stays: profile and filter lookups match the username exactly and use it.
 * Existing clashes are not renamed behind their owners' backs: the migration stops and names them.
 */
export class UsernamesCaseInsensitive1765600000000 implements MigrationInterface {
  name = 'UsernamesCaseInsensitive1765600000000';

  async up(q: QueryRunner): Promise<void> {
    const clashes: Array<{ usernames: string[] }> = await q.query(`
      SELECT array_agg(username ORDER BY created_at) AS usernames
        FROM users GROUP BY lower(username) HAVING count(*) > 1 LIMIT 20`);
    if (clashes.length > 0) {
      const list = clashes.map((c) => c.usernames.join(' / ')).join('; ');
      throw new Error(
        `Usernames must be unique regardless of case, but these differ only by case: ${list}. ` +
          'Rename all but one of each group (UPDATE users SET username = ... WHERE username = ...), then start again.',
      );
    }
    await q.query(`CREATE UNIQUE INDEX users_username_lower_key ON users (lower(username))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX users_username_lower_key`);
  }
}
