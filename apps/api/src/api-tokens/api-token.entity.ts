import type { RecentIp } from '@conduit/contracts';
import type { ApiTokenRevocationReason } from '@conduit/contracts';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** An API token. The raw value is never stored: only its keyed hash (HMAC-SHA-256). */
@Entity({ name: 'api_tokens' })
export class ApiTokenEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ name: 'token_hash', type: 'bytea', select: false })
  tokenHash: Buffer;

  @Column({ type: 'varchar', length: 4 })
  hint: string;

  @Column({ name: 'allowed_ips', type: 'text', array: true, default: () => "'{}'" })
  allowedIps: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  /** Who or what revoked the token; set together with revokedAt. */
  @Column({ name: 'revoked_reason', type: 'varchar', length: 20, nullable: true })
  revokedReason: ApiTokenRevocationReason | null;

  /** Set when the token is rotated: the old secret works until then (the overlap window). */
  @Column({ name: 'retires_at', type: 'timestamptz', nullable: true })
  retiresAt: Date | null;

  /** The token that a rotation issued in this one's place. */
  @Column({ name: 'replaced_by_id', type: 'uuid', nullable: true })
  replacedById: string | null;

  /** Who rotated it (set with replacedById): its owner's session, or the token itself. */
  @Column({ name: 'rotated_by', type: 'varchar', length: 10, nullable: true })
  rotatedBy: 'session' | 'token' | null;

  /** Incremented by every change of what authentication reads: keys per-process caches. */
  @Column({ type: 'integer', default: 1 })
  version: number;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: 'last_used_ip', type: 'varchar', length: 45, nullable: true })
  lastUsedIp: string | null;

  /** The last 5 distinct client addresses, most recent first (written by the last-used tracker). */
  @Column({ name: 'recent_ips', type: 'jsonb', default: () => "'[]'" })
  recentIps: RecentIp[];
  /** Two bits per resource (encodePermissions / decodePermissions in the contract). */
  @Column({ type: 'smallint', default: 170 })
  permissions: number;
}
