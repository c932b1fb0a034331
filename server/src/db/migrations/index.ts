import type { Migration } from 'kysely'

/** Ordered by name; forward-only. Add a new numbered file for every change of a persisted shape. */
export const migrations: Record<string, Migration> = {}
