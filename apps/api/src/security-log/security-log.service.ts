import { Injectable } from '@nestjs/common';
import { SECURITY_LOG_DEFAULT_LIMIT, SecurityEvent, SecurityLogResponse } from '@conduit/contracts';
import { unprocessable } from '../common/http/errors';
import { SecurityLogQueryDto } from './dto/security-log.dto';
import { SecurityEvents } from './security-events.service';
import { SecurityEventRow, SecurityLogRepository } from './security-log.repository';

/** Opaque to clients: base64url of "<created_at epoch ms>:<id>", the last event of a page. */
export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.getTime()}:${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { at: Date; id: string } | null {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  const m = /^(\d{1,15}):(\d{1,18})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) return null;
  const at = new Date(Number(m[1]));
  return Number.isNaN(at.getTime()) ? null : { at, id: m[2] };
}

function toSecurityEvent(r: SecurityEventRow): SecurityEvent {
  return {
    id: r.id,
    type: r.type,
    createdAt: r.created_at.toISOString(),
    ip: r.ip,
    userAgent: r.user_agent,
    tokenId: r.token_id,
    tokenName: r.token_name,
    tokenHint: r.token_hint,
    detail: r.detail,
  } as SecurityEvent; // the detail the API wrote for this type (SecurityEventDetails)
}

@Injectable()
export class SecurityLogService {
  constructor(
    private readonly repository: SecurityLogRepository,
    private readonly events: SecurityEvents,
  ) {}

  async list(userId: string, query: SecurityLogQueryDto): Promise<SecurityLogResponse> {
    const before = query.before === undefined ? null : decodeCursor(query.before);
    if (query.before !== undefined && !before) throw unprocessable({ before: ['must be the nextCursor of a previous page'] });
    const limit = query.limit === undefined ? SECURITY_LOG_DEFAULT_LIMIT : Number(query.limit);
    // What this instance has queued is written first, so that a person sees what they just did.
    await this.events.flush();
    const rows = await this.repository.page({ userId, limit, before, tokenId: query.tokenId ?? null, type: query.type ?? null });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { events: page.map(toSecurityEvent), nextCursor: rows.length > limit && last ? encodeCursor(last.created_at, last.id) : null };
  }
}
