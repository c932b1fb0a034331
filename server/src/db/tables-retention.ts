// Tables of retention (migration 0013): what was deleted when a campaign's retention ended, and the
// job leases that let exactly one instance run a job. The campaign's own columns are in tables-core.ts.

/** One row per campaign whose raw material was deleted. */
export interface RetentionDeletionsTable {
  campaign_id: string
  deleted_at: string
  /** `system:retention` (the daily job) or the admin's login ("delete now"). */
  actor_label: string
  /** The evidence-chain range whose responses were deleted (1…head; 0…0 when the chain was empty). */
  first_seq: number
  last_seq: number
  /** The chain head's hash at deletion: the remaining links must still end in it. */
  head_hash: string
  /** Rows deleted per table. */
  counts_json: string
  /** `KeptCounts` (services/retention): what the report reads from raw answers, as counts. */
  kept_json: string
}

/** A job's lease: `holder` runs it until `until` (UTC ISO); another instance takes it only after that. */
export interface JobLocksTable {
  name: string
  holder: string
  until: string
}

export interface RetentionTables {
  retention_deletions: RetentionDeletionsTable
  job_locks: JobLocksTable
}
