import type { Profile } from '@conduit/contracts';

/** A user as the profile queries return it (column aliases shared by articles and comments). */
export interface ProfileRow {
  username: string;
  bio: string | null;
  image: string | null;
  following: boolean;
}

export function toProfile(row: ProfileRow): Profile {
  return { username: row.username, bio: row.bio ?? null, image: row.image ?? null, following: row.following === true };
}
