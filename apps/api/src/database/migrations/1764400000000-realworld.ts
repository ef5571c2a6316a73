import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The RealWorld resources: follows, articles (with a favorites_count kept by a trigger), tags (with
 * an articles_count kept the same way), favorites and comments. Everything a user owns goes with
 * them (ON DELETE CASCADE), and an article takes its tag links, favorites and comments with it.
 */
export class RealWorld1764400000000 implements MigrationInterface {
  name = 'RealWorld1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE follows (
        follower_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        followee_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (follower_id, followee_id),
        CONSTRAINT follows_not_self CHECK (follower_id <> followee_id)
      )`);
    // The primary key serves "whom do I follow"; this one serves cascades from the followee.
    await q.query(`CREATE INDEX follows_followee_id_idx ON follows (followee_id)`);

    await q.query(`
      CREATE TABLE articles (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        slug varchar(120) NOT NULL,
        author_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        title varchar(200) NOT NULL,
        description varchar(1000) NOT NULL,
        body text NOT NULL,
        favorites_count integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX articles_slug_key ON articles (slug)`);
    await q.query(`CREATE INDEX articles_created_at_idx ON articles (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX articles_author_created_at_idx ON articles (author_id, created_at DESC, id DESC)`);

    await q.query(`
      CREATE TABLE tags (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name varchar(50) NOT NULL,
        articles_count integer NOT NULL DEFAULT 0
      )`);
    await q.query(`CREATE UNIQUE INDEX tags_name_key ON tags (name)`);
    // GET /api/tags: tags in use, most used first, straight from this index.
    await q.query(`CREATE INDEX tags_popular_idx ON tags (articles_count DESC, name) WHERE articles_count > 0`);
    await q.query(`
      CREATE TABLE article_tags (
        article_id bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        tag_id integer NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
        position smallint NOT NULL,
        PRIMARY KEY (article_id, tag_id)
      )`);
    await q.query(`CREATE INDEX article_tags_tag_article_idx ON article_tags (tag_id, article_id)`);
    // tags.articles_count follows every link and unlink, including those cascaded from a deleted article.
    await q.query(`
      CREATE FUNCTION tags_articles_count_sync() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          UPDATE tags SET articles_count = articles_count + 1 WHERE id = NEW.tag_id;
        ELSE
          UPDATE tags SET articles_count = articles_count - 1 WHERE id = OLD.tag_id;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER tags_articles_count_sync AFTER INSERT OR DELETE ON article_tags
        FOR EACH ROW EXECUTE FUNCTION tags_articles_count_sync()`);

    await q.query(`
      CREATE TABLE favorites (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        article_id bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, article_id)
      )`);
    await q.query(`CREATE INDEX favorites_article_id_idx ON favorites (article_id)`);
    // favorites_count follows every insert and delete, including those cascaded from a deleted user.
    await q.query(`
      CREATE FUNCTION favorites_count_sync() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          UPDATE articles SET favorites_count = favorites_count + 1 WHERE id = NEW.article_id;
        ELSE
          UPDATE articles SET favorites_count = favorites_count - 1 WHERE id = OLD.article_id;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER favorites_count_sync AFTER INSERT OR DELETE ON favorites
        FOR EACH ROW EXECUTE FUNCTION favorites_count_sync()`);

    await q.query(`
      CREATE TABLE comments (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        article_id bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        author_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX comments_article_created_at_idx ON comments (article_id, created_at, id)`);
    await q.query(`CREATE INDEX comments_author_id_idx ON comments (author_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE comments');
    await q.query('DROP TRIGGER favorites_count_sync ON favorites');
    await q.query('DROP FUNCTION favorites_count_sync()');
    await q.query('DROP TABLE favorites');
    await q.query('DROP TABLE article_tags');
    await q.query('DROP FUNCTION tags_articles_count_sync()');
    await q.query('DROP TABLE tags');
    await q.query('DROP TABLE articles');
    await q.query('DROP TABLE follows');
  }
}
