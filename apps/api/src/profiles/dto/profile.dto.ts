import { ApiProperty } from '@nestjs/swagger';
import type { Profile, ProfileResponse } from '@conduit/contracts';

export class ProfileDto implements Profile {
  @ApiProperty({ example: 'jake' })
  username: string;

  @ApiProperty({ type: String, nullable: true, example: 'I work at statefarm' })
  bio: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'https://api.realworld.io/images/smiley-cyrus.jpg' })
  image: string | null;

  @ApiProperty({ description: 'Whether the caller follows this user (false for anonymous callers)' })
  following: boolean;
}

export class ProfileResponseDto implements ProfileResponse {
  @ApiProperty({ type: ProfileDto })
  profile: ProfileDto;
}
