import { ApiTokenEntity } from '../api-tokens/api-token.entity';
import { RefreshTokenEntity } from '../sessions/refresh-token.entity';
import { SessionEntity } from '../sessions/session.entity';
import { UserEntity } from '../users/user.entity';

export const ENTITIES = [UserEntity, SessionEntity, RefreshTokenEntity, ApiTokenEntity];
