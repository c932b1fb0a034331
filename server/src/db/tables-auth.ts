// Tables of staff users, sessions, API tokens and rate limits (migration 0002).
// biome-ignore lint/complexity/noBannedTypes: filled in by the auth migration
export type AuthTables = {}
