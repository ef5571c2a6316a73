import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** The schema of the articles feature (migration 1764400000000). Queries are written in ArticlesRepository. */
@Entity({ name: 'articles' })
export class ArticleEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'varchar', length: 120 })
  slug: string;

  @Column({ name: 'author_id', type: 'uuid' })
  authorId: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'varchar', length: 1000 })
  description: string;

  @Column({ type: 'text' })
  body: string;

  /** Kept by the favorites_count_sync trigger. */
  @Column({ name: 'favorites_count', type: 'integer', default: 0 })
  favoritesCount: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Entity({ name: 'tags' })
export class TagEntity {
  @PrimaryGeneratedColumn('identity', { type: 'integer', generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ type: 'varchar', length: 50 })
  name: string;

  /** Kept by the tags_articles_count_sync trigger. */
  @Column({ name: 'articles_count', type: 'integer', default: 0 })
  articlesCount: number;
}

/** An article's tags, in the order the author gave them. */
@Entity({ name: 'article_tags' })
export class ArticleTagEntity {
  @PrimaryColumn({ name: 'article_id', type: 'bigint' })
  articleId: string;

  @PrimaryColumn({ name: 'tag_id', type: 'integer' })
  tagId: number;

  @Column({ type: 'smallint' })
  position: number;
}

@Entity({ name: 'favorites' })
export class FavoriteEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @PrimaryColumn({ name: 'article_id', type: 'bigint' })
  articleId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
