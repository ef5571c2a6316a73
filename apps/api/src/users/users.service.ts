import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import pLimit from 'p-limit';
import { QueryFailedError } from 'typeorm';
import type { UserResponse } from '@conduit/contracts';
import { AuthThrottle, tooManyFailures } from '../auth/auth-throttle';
import type { Principal, SessionPrincipal } from '../access/principal';
import { EventOrigin, SecurityEvents } from '../security-log/security-events.service';
import { ApiError, conflict, unprocessable } from '../common/http/errors';
import { IssuedSession, SessionsService } from '../sessions/sessions.service';
import { LoginUserDto, NewUserDto, UpdateUserDto } from './dto/user.dto';
import { UserEntity } from './user.entity';
import { toUserResponse } from './user.mapper';
import { UsersRepository } from './users.repository';

const ARGON2_OPTIONS = { type: argon2.argon2id } as const;
/** Compared against when the email is unknown, so that unknown emails take as long as wrong passwords. */
let dummyHash: Promise<string> | undefined;
/**
 * New password hashes (sign-up, password change) run one at a time: argon2 runs on libuv's
 * thread pool (4 threads by default), so a burst of sign-ups leaves threads to sign-ins and
 * password checks, which are not queued behind it.
 */
const newHashes = pLimit(1);
const hashPassword = (password: string) => newHashes(() => argon2.hash(password, ARGON2_OPTIONS));

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionsService,
    private readonly events: SecurityEvents,
    private readonly throttle: AuthThrottle,
  ) {}

  async register(dto: NewUserDto, origin: EventOrigin): Promise<{ response: UserResponse; session: IssuedSession }> {
    const { username, email, password } = dto.user;
    await this.ensureAvailable({ username, email });
    const passwordHash = await hashPassword(password);
    const user = await this.users.insert({ username, email, passwordHash }).catch((e) => this.mapUniqueViolation(e));
    return this.startSession(user, origin, 'registration');
  }

  async login(dto: LoginUserDto, origin: EventOrigin): Promise<{ response: UserResponse; session: IssuedSession }> {
    this.refuseIfThrottled('credentials', origin);
    const user = await this.users.findCredentialsByEmail(dto.user.email);
    const ok = user
      ? await argon2.verify(user.passwordHash, dto.user.password)
      : (await argon2.verify(await (dummyHash ??= argon2.hash('not-a-password', ARGON2_OPTIONS)), dto.user.password), false);
    if (!user || !ok) {
      this.countFailure('credentials', origin);
      throw new ApiError(401, { credentials: ['invalid'] });
    }
    return this.startSession(user, origin, 'password');
  }

  async refresh(rawRefresh: string | undefined, origin: EventOrigin): Promise<{ response: UserResponse; session: IssuedSession }> {
    const session = await this.sessions.refresh(rawRefresh, origin);
    const user = await this.users.findById(session.userId);
    if (!user) throw new ApiError(401, { session: ['has ended; sign in'] });
    return { response: toUserResponse(user, session.accessToken), session };
  }

  current(principal: Principal): UserResponse {
    return toUserResponse(principal.user, principal.kind === 'session' ? principal.accessToken : null);
  }

  async update(principal: Principal, dto: UpdateUserDto, origin: EventOrigin): Promise<UserResponse> {
    // Email and password changes need a session with a recent password (or currentPassword, checked here):
    // the route's declaration says so and authorization enforces it.
    const body = dto.user;
    const userId = principal.user.id;
    const changes: Parameters<UsersRepository['update']>[1] = {};
    if (body.username !== undefined && body.username !== principal.user.username) changes.username = body.username;
    if (body.email !== undefined && body.email !== principal.user.email) changes.email = body.email;
    // The current password, when given, is checked: authorization let it stand in for a recent sign-in.
    if (body.currentPassword !== undefined) await this.checkPassword(userId, body.currentPassword, 'currentPassword', origin);
    if (body.bio !== undefined) changes.bio = body.bio === '' ? null : body.bio;
    if (body.image !== undefined) changes.image = body.image === '' ? null : body.image;
    if (body.timezone !== undefined) changes.timezone = body.timezone;
    await this.ensureAvailable({ username: changes.username, email: changes.email }, userId);
    if (body.password !== undefined) {
      changes.passwordHash = await hashPassword(body.password);
    }
    await this.users.update(userId, changes).catch((e) => this.mapUniqueViolation(e));
    if (changes.passwordHash && principal.kind === 'session') await this.sessions.endAllExcept(userId, principal.sessionId);
    if (changes.passwordHash) this.events.record({ userId, type: 'account.password_changed', origin });
    if (changes.email) this.events.record({ userId, type: 'account.email_changed', origin, detail: { from: principal.user.email, to: changes.email } });
    const user = await this.users.findById(userId);
    if (!user) throw new ApiError(401, { token: ['has been revoked'] });
    return toUserResponse(user, principal.kind === 'session' ? principal.accessToken : null);
  }

  /** `POST /api/user/reauthenticate`: the password again, so that sensitive actions are allowed for REAUTH_WINDOW. */
  async reauthenticate(principal: SessionPrincipal, password: string, origin: EventOrigin): Promise<void> {
    await this.checkPassword(principal.user.id, password, 'password', origin);
    await this.sessions.markReauthenticated(principal.sessionId);
  }

  /** The password in the body is itself the confirmation: no recent sign-in is needed on top. */
  async delete(principal: Principal, password: string, origin: EventOrigin): Promise<void> {
    await this.checkPassword(principal.user.id, password, 'password', origin);
    await this.users.delete(principal.user.id);
  }

  /**
   * The account's password, confirmed again (a 422 naming `field` when wrong). A wrong one counts
   * as a failed authentication of the address, as at sign-in: a stolen session cannot guess on.
   */
  private async checkPassword(userId: string, password: string, field: string, origin: EventOrigin): Promise<void> {
    this.refuseIfThrottled(field, origin);
    const user = await this.users.findCredentialsById(userId);
    if (!user || !(await argon2.verify(user.passwordHash, password))) {
      this.countFailure(field, origin);
      throw unprocessable({ [field]: ['is incorrect'] });
    }
  }

  /** 429 before any password work when the address is over the failed-authentication limit. */
  private refuseIfThrottled(subject: string, origin: EventOrigin): void {
    const retryAfter = origin.ip ? this.throttle.retryAfter(origin.ip) : null;
    if (retryAfter !== null) throw tooManyFailures(subject, retryAfter);
  }

  private countFailure(subject: string, origin: EventOrigin): void {
    const retryAfter = origin.ip ? this.throttle.fail(origin.ip) : null;
    if (retryAfter !== null) throw tooManyFailures(subject, retryAfter);
  }

  private async startSession(user: UserEntity, origin: EventOrigin, via: 'password' | 'registration') {
    const session = await this.sessions.start(user.id, origin, via);
    return { response: toUserResponse(user, session.accessToken), session };
  }

  private async ensureAvailable(fields: { username?: string; email?: string }, exceptId?: string): Promise<void> {
    const taken = await this.users.taken(fields, exceptId);
    if (taken.length > 0) {
      throw new ApiError(409, Object.fromEntries(taken.map((f) => [f, ['has already been taken']])));
    }
  }

  /** A concurrent registration can still hit the unique index: answer 409, not 500. */
  private mapUniqueViolation(error: unknown): never {
    if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
      const constraint = String((error.driverError as { constraint?: string }).constraint ?? '');
      throw conflict(constraint.includes('email') ? 'email' : 'username');
    }
    throw error;
  }
}
