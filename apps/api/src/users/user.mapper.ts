import type { User, UserResponse } from '@conduit/contracts';
import type { AuthUser } from '../access/principal';

export function toUserResponse(user: AuthUser, token: string | null): UserResponse {
  const body: User = {
    email: user.email,
    username: user.username,
    bio: user.bio ?? null,
    image: user.image ?? null,
    timezone: user.timezone,
    token,
  };
  return { user: body };
}
