// The 整改台账 (migration 0010): every remark of every symposium, and every change of its follow-up.
// Portable types only; instants are UTC ISO-8601 text so they compare as strings.

/** One remark said at a symposium: recorded in the symposium item, or sent later as a `remark` item. */
export interface RemarksTable {
  /** The remark's own id (a UUID from the recorder's device). */
  id: string
  campaign_id: string
  symposium_id: string
  /** The symposium's community or street, copied so the ledger and the public page filter without a join. */
  community_id: string | null
  street_id: string | null
  speaker_category: string
  /** problem | suggestion | praise */
  kind: string
  text: string
  /** 0 | 1: shown on the community's public page (staff decide; 0 when recorded). */
  public: number
  public_changed_at: string | null
  public_by: string | null
  /** sha256 of the canonical item (a `remark` item) or of the remark inside its symposium item. */
  content_hash: string
  device_id: string
  /** The staff member whose credentials sent it. */
  user_id: string | null
  received_at: string
}

/**
 * One change of a remark's follow-up, append-only: the follow-up as it is after the change. The first
 * follow-up recorded with a remark is a change too (id = the remark's id, base null).
 */
export interface FollowUpChangesTable {
  id: string
  campaign_id: string
  remark_id: string
  /** The change the editor saw last; null for the remark as recorded. */
  base_id: string | null
  owner: string
  due_date: string | null
  /** todo | in_progress | done */
  status: string
  /** The status of `base_id` (what the editor changed from); null when there was no follow-up. */
  from_status: string | null
  note: string
  /** The device's time of the change. */
  changed_at: string
  received_at: string
  user_id: string | null
  device_id: string
  content_hash: string
}

export interface LedgerTables {
  remarks: RemarksTable
  follow_up_changes: FollowUpChangesTable
}
