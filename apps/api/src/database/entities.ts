import { ApiTokenEntity } from '../api-tokens/api-token.entity';
import { ArticleEntity, ArticleTagEntity, FavoriteEntity, TagEntity } from '../articles/article.entity';
import { CommentEntity } from '../comments/comment.entity';
import { NotificationEntity } from '../notifications/notification.entity';
import { FollowEntity } from '../profiles/follow.entity';
import { RefreshTokenEntity } from '../sessions/refresh-token.entity';
import { SessionEntity } from '../sessions/session.entity';
import { UserEntity } from '../users/user.entity';

export const ENTITIES = [UserEntity, SessionEntity, RefreshTokenEntity, ApiTokenEntity,
  FollowEntity, ArticleEntity, TagEntity, ArticleTagEntity, FavoriteEntity, CommentEntity,
  NotificationEntity];
