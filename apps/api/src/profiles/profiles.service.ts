import { Injectable } from '@nestjs/common';
import { USERNAME_MAX_LENGTH, type ProfileResponse } from '@conduit/contracts';
import { notFound, unprocessable } from '../common/http/errors';
import { isQueryableText } from '../common/http/validators';
import { toProfile } from './profile.mapper';
import { ProfilesRepository, type ProfileTarget } from './profiles.repository';

@Injectable()
export class ProfilesService {
  constructor(private readonly profiles: ProfilesRepository) {}

  async get(username: string, viewerId: string | null): Promise<ProfileResponse> {
    return { profile: toProfile(await this.find(username, viewerId)) };
  }

  async follow(username: string, followerId: string): Promise<ProfileResponse> {
    const target = await this.find(username, followerId);
    if (target.id === followerId) throw unprocessable({ profile: ['cannot follow yourself'] });
    if (!(await this.profiles.follow(followerId, target.id))) throw notFound('profile');
    return { profile: toProfile({ ...target, following: true }) };
  }

  async unfollow(username: string, followerId: string): Promise<ProfileResponse> {
    const target = await this.find(username, followerId);
    if (target.id === followerId) throw unprocessable({ profile: ['cannot unfollow yourself'] });
    await this.profiles.unfollow(followerId, target.id);
    return { profile: toProfile({ ...target, following: false }) };
  }

  private async find(username: string, viewerId: string | null): Promise<ProfileTarget> {
    // A name no user can have (too long, NUL) is simply unknown: no query, no database error.
    const target = isQueryableText(username, USERNAME_MAX_LENGTH) ? await this.profiles.findByUsername(username, viewerId) : null;
    if (!target) throw notFound('profile');
    return target;
  }
}
