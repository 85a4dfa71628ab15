import { CustomDecorator, SetMetadata } from '@nestjs/common';

export const PUBLIC_KEY = 'quan:public';

/**
 * The endpoint needs no token (health, reference data, logins). Defined here rather than in libs/auth
 * so platform controllers can use it while auth builds on platform; auth re-exports it.
 */
export const Public = (): CustomDecorator => SetMetadata(PUBLIC_KEY, true);
