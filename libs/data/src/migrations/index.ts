import { Initial1795773483445 } from './1795773483445-Initial';

/** Every migration, oldest first. The schema changes only through these (never `synchronize`). */
export const MIGRATIONS = [Initial1795773483445];
