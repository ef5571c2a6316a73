import { ApiProperty } from '@nestjs/swagger';
import { MaxLength } from 'class-validator';
import {
  COMMENT_BODY_MAX_LENGTH, type Comment, type MultipleCommentsResponse, type NewCommentRequest, type SingleCommentResponse,
} from '@conduit/contracts';
import { RequiredText, tooLong, Wrapper } from '../../common/http/validators';
import { ProfileDto } from '../../profiles/dto/profile.dto';

class NewCommentBody {
  @ApiProperty({ example: 'It takes a Jacobian', maxLength: COMMENT_BODY_MAX_LENGTH })
  @RequiredText()
  @MaxLength(COMMENT_BODY_MAX_LENGTH, tooLong(COMMENT_BODY_MAX_LENGTH))
  body: string;
}

export class NewCommentDto implements NewCommentRequest {
  @ApiProperty({ type: NewCommentBody })
  @Wrapper(() => NewCommentBody)
  comment: NewCommentBody;
}

export class CommentDto implements Comment {
  @ApiProperty({ example: 1 }) id: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() body: string;
  @ApiProperty({ type: ProfileDto }) author: ProfileDto;
}

export class SingleCommentResponseDto implements SingleCommentResponse {
  @ApiProperty({ type: CommentDto }) comment: CommentDto;
}

export class MultipleCommentsResponseDto implements MultipleCommentsResponse {
  @ApiProperty({ type: [CommentDto], description: 'Oldest first' }) comments: CommentDto[];
}
