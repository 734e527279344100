import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'duban:isPublic';
/** Opens an endpoint to callers without a token (only /health and /metrics). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
