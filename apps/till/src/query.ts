import { createQueryClient } from '@quan/web-core';

/** Server state (today's list, cashiers, statements) lives in one query cache; screens invalidate what they change. */
export const queryClient = createQueryClient();
