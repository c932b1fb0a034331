// Tables of campaigns, questionnaires, responses, aggregates and the evidence log (migration 0001).
// biome-ignore lint/complexity/noBannedTypes: filled in by the core migration
export type CoreTables = {}
