/**
 * Type-checked (not run) by test/e2e/openapi.e2e-spec.ts: `generated/openapi.ts` is what
 * openapi-typescript makes of the served OpenAPI document. Each line fails to compile when the
 * document and the shared contract disagree about a request or response, in either direction.
 */
import type * as C from '@conduit/contracts';
import type { components } from './generated/openapi';

type S = components['schemas'];
/** true only when each type is assignable to the other. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

export const error: Same<S['ErrorResponseDto'], C.ErrorResponse> = true;
export const clientIp: Same<S['ClientIpResponseDto'], C.ClientIpResponse> = true;

export const newUser: Same<S['NewUserDto'], C.NewUserRequest> = true;
export const login: Same<S['LoginUserDto'], C.LoginUserRequest> = true;
export const updateUser: Same<S['UpdateUserDto'], C.UpdateUserRequest> = true;
export const deleteUser: Same<S['DeleteUserDto'], C.DeleteUserRequest> = true;
export const user: Same<S['UserResponseDto'], C.UserResponse> = true;

export const createApiToken: Same<S['CreateApiTokenDto'], C.CreateApiTokenRequest> = true;
export const createdApiToken: Same<S['CreateApiTokenResponseDto'], C.CreateApiTokenResponse> = true;
export const apiTokenList: Same<S['ApiTokenListResponseDto'], C.ApiTokenListResponse> = true;
export const currentApiToken: Same<S['CurrentApiTokenResponseDto'], C.CurrentApiTokenResponse> = true;
export const apiToken: Same<S['ApiTokenResponseDto'], C.ApiTokenResponse> = true;
export const updateApiToken: Same<S['UpdateApiTokenDto'], C.UpdateApiTokenRequest> = true;
export const rotateApiToken: Same<S['RotateApiTokenDto'], C.RotateApiTokenRequest> = true;
export const rotatedApiToken: Same<S['RotateApiTokenResponseDto'], C.RotateApiTokenResponse> = true;

export const profile: Same<S['ProfileResponseDto'], C.ProfileResponse> = true;
export const newArticle: Same<S['NewArticleDto'], C.NewArticleRequest> = true;
export const updateArticle: Same<S['UpdateArticleDto'], C.UpdateArticleRequest> = true;
export const article: Same<S['SingleArticleResponseDto'], C.SingleArticleResponse> = true;
export const articles: Same<S['MultipleArticlesResponseDto'], C.MultipleArticlesResponse> = true;
export const newComment: Same<S['NewCommentDto'], C.NewCommentRequest> = true;
export const comment: Same<S['SingleCommentResponseDto'], C.SingleCommentResponse> = true;
export const comments: Same<S['MultipleCommentsResponseDto'], C.MultipleCommentsResponse> = true;
export const tags: Same<S['TagsResponseDto'], C.TagsResponse> = true;

export const passwordResetStatus: Same<S['PasswordResetStatusResponseDto'], C.PasswordResetStatusResponse> = true;
export const passwordResetRequest: Same<S['PasswordResetRequestDto'], C.PasswordResetRequest> = true;
export const completePasswordReset: Same<S['CompletePasswordResetDto'], C.CompletePasswordResetRequest> = true;
export const passwordResetRequested: Same<S['PasswordResetRequestedResponseDto'], C.PasswordResetRequestedResponse> = true;
export const gitHubSecretScanningMatch: Same<S['GitHubSecretScanningMatchDto'], C.GitHubSecretScanningMatch> = true;
export const gitHubSecretScanningFeedback: Same<S['GitHubSecretScanningFeedbackDto'], C.GitHubSecretScanningFeedback> = true;
