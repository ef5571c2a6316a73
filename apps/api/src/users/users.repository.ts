import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Raw, Repository } from 'typeorm';
import { Db, type Queryable } from '../database/db';
import { UserEntity } from './user.entity';

/** The one place that knows how users are queried. */
@Injectable()
export class UsersRepository {
  constructor(
    @InjectRepository(UserEntity) private readonly repo: Repository<UserEntity>,
    private readonly db: Db,
  ) {}

  findById(id: string): Promise<UserEntity | null> {
    return this.repo.findOneBy({ id });
  }

  /** With the password hash (never selected otherwise). */
  async findCredentialsByEmail(email: string): Promise<UserEntity | null> {
    return this.repo
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('lower(u.email) = lower(:email)', { email })
      .getOne();
  }

  async findCredentialsById(id: string): Promise<UserEntity | null> {
    return this.repo.createQueryBuilder('u').addSelect('u.passwordHash').where('u.id = :id', { id }).getOne();
  }

  /** Which of the given username/email are taken by someone other than `exceptId`. */
  async taken(fields: { username?: string; email?: string }, exceptId?: string): Promise<Array<'username' | 'email'>> {
    const out: Array<'username' | 'email'> = [];
    if (fields.username !== undefined) {
      const username = fields.username;
      // Case-insensitive, like the unique index on lower(username).
      const u = await this.repo.findOneBy({ username: Raw((alias) => `lower(${alias}) = lower(:username)`, { username }) });
      if (u && u.id !== exceptId) out.push('username');
    }
    if (fields.email !== undefined) {
      const email = fields.email;
      const u = await this.repo.findOneBy({ email: Raw((alias) => `lower(${alias}) = lower(:email)`, { email }) });
      if (u && u.id !== exceptId) out.push('email');
    }
    return out;
  }

  insert(user: Pick<UserEntity, 'username' | 'email' | 'passwordHash'>): Promise<UserEntity> {
    return this.repo.save(this.repo.create({ ...user, bio: null, image: null }));
  }

  async update(id: string, changes: Partial<Pick<UserEntity, 'username' | 'email' | 'passwordHash' | 'bio' | 'image' | 'timezone'>>) {
    if (Object.keys(changes).length > 0) await this.repo.update({ id }, changes);
  }

  /** Deletes the user; everything they own goes with them (ON DELETE CASCADE). */
  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }

  /** Who to write to at this email (any case), for a password reset link. */
  async findContactByEmail(email: string): Promise<{ id: string; email: string; username: string } | null> {
    const [user] = await this.db.query<{ id: string; email: string; username: string }>(
      'SELECT id, email, username FROM users WHERE lower(email) = lower($1)',
      [email],
    );
    return user ?? null;
  }

  /** Locks the account's row until the end of the transaction (serializes work per account across instances). */
  async lock(tx: Queryable, id: string): Promise<void> {
    await tx.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [id]);
  }

  async setPasswordHash(tx: Queryable, id: string, passwordHash: string, now: Date): Promise<void> {
    await tx.query('UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1', [id, passwordHash, now]);
  }
}
