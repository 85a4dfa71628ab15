import { createQueryClient } from '@quan/web-core';

/** Server state (rounds, wallet, directory) lives in one query cache; screens invalidate what they change. */
export const queryClient = createQueryClient();
