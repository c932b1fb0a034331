import type { ColumnType } from 'kysely'

// Tables of org units, campaigns, questionnaires, responses, aggregates and the evidence log
// (migration 0001). Portable types only: text, integer, double precision; JSON is stored as text;
// instants are UTC ISO-8601 text (`2024-05-01T08:00:00.000Z`), so they sort as strings.

/** district → street → community. */
export interface OrgUnitsTable {
  id: string
  kind: 'district' | 'street' | 'community'
  parent_id: string | null
  code: string
  name: string
  population: number | null
  created_at: string
}

/** The editable draft of a campaign's questionnaire; published versions live in questionnaire_versions. */
export interface QuestionnairesTable {
  id: string
  /** QuestionnaireContent JSON being edited (becomes the next version when published). */
  draft_json: string
  created_at: string
  updated_at: string
}

/** Immutable once inserted: a published version is never updated. */
export interface QuestionnaireVersionsTable {
  questionnaire_id: string
  version: number
  /** QuestionnaireContent JSON. */
  content_json: string
  published_at: string
}

export interface CampaignsTable {
  id: string
  title: string
  description: string | null
  /** 'draft' until the first publish; then open/closed follows the window (`campaignStatus` in services/campaign-context.ts). */
  status: 'draft' | 'open' | 'closed'
  opens_at: string
  closes_at: string
  published_at: string | null
  questionnaire_id: string
  /** IndicatorConfig JSON (parsed, defaults filled). */
  indicator_config_json: string
  /** Per-campaign salt the worker app hashes door numbers with (the raw number never leaves the device). */
  household_salt: string
  created_at: string
  updated_at: string
  /** Months after `closes_at` that raw material is kept (migration 0013; default 36). */
  retention_months: number
  /** When the retention deletion claimed the campaign (null: raw material still kept). */
  raw_deleted_at: string | null
}

export interface CampaignCommunitiesTable {
  campaign_id: string
  community_id: string
  quota: number | null
}

/** QR link tokens, one per (campaign, community, channel). */
export interface LinkTokensTable {
  token: string
  campaign_id: string
  community_id: string
  channel: 'qr' | 'door' | 'paper' | 'symposium'
  /** Set for a symposium's own QR code (attendees' rating sheets); null for community links. */
  symposium_id: string | null
  created_at: string
}

/**
 * Single-use household codes (入户码). Kept apart from responses: only the code's hash is stored and no
 * response id, so the table says which codes were used, never by which answer.
 */
export interface HouseholdCodesTable {
  code_hash: string
  campaign_id: string
  community_id: string
  created_at: string
  used_at: string | null
}

export interface ResponsesTable {
  id: string
  campaign_id: string
  questionnaire_version: number
  community_id: string
  channel: 'qr' | 'door' | 'paper' | 'symposium'
  device_id: string
  worker_id: string | null
  household_key: string | null
  symposium_id: string | null
  started_at: string
  submitted_at: string
  received_at: string
  /** Answers JSON as validated. */
  answers_json: string
  /** Soft flags, sorted, joined with ',' ('' for none) — the tally's flagsKey. */
  flags: string
  /** Hard reason: 'evaluator_excluded' | 'test' | null. */
  exclusion: string | null
  /** 'include' when an evaluator reviewed the flags and kept the response. */
  review: string | null
  /** sha256 of the canonical stored item (`contentHash` in services/evidence.ts); equal hashes mean a replay. */
  content_hash: string
  test: number
  evidence_json: string | null
  /** A paper form's serial number (channel `paper`; migration 0009). */
  serial: string | null
}

/** Audit of evaluator decisions on flagged responses: who, when, why. Append-only. */
export interface ResponseReviewsTable {
  id: string
  response_id: string
  campaign_id: string
  user_id: string | null
  action: 'exclude' | 'include' | 'reset'
  reason: string
  at: string
}

/** Other payloads that arrived under an already stored id: kept for review, never applied. */
export interface ConflictsTable {
  id: string
  response_id: string
  campaign_id: string | null
  device_id: string
  content_hash: string
  payload_json: string
  received_at: string
}

export interface SymposiumsTable {
  id: string
  campaign_id: string
  community_id: string | null
  street_id: string | null
  title: string
  date: string
  place: string
  host: string
  recorder: string
  attendees_json: string
  remarks_json: string
  content_hash: string
  device_id: string
  received_at: string
}

export interface DevicesTable {
  id: string
  app_version: string
  last_seen_at: string
  outbox_size: number
  user_id: string | null
}

/**
 * Per (campaign, device) counters. `qr_count` feeds METHOD.md's duplicate_device flag; the row lock an
 * upsert takes also serialises two instances ingesting for the same device.
 */
export interface DeviceCampaignsTable {
  campaign_id: string
  device_id: string
  qr_count: number
  total_count: number
  last_seen_at: string
}

/** Responses per (campaign, household key): the duplicate_household flag. */
export interface HouseholdCountsTable {
  campaign_id: string
  household_key: string
  count: number
}

/**
 * The kept aggregates (migration 0003): one row per cell of the shared method's tally, its metric
 * counts as a JSON object of integers (`{"n":12,"item:q_overall:5":3,…}`, zeros left out).
 */
export interface AggregateCellsTable {
  campaign_id: string
  community_id: string
  channel: string
  /** The worker of a door cell (migration 0006); '' on other channels. */
  worker_id: string
  flags_key: string
  exclusion_key: string
  basis_key: string
  review_key: string
  counts_json: string
}

/** Hash-chained, append-only log of accepted responses, one chain per campaign. */
export interface EvidenceLogTable {
  campaign_id: string
  seq: number
  response_id: string
  content_hash: string
  prev_hash: string
  hash: string
  at: string
}

/** The head of each campaign's chain; locked by each appending transaction so instances append in turn. */
export interface EvidenceHeadsTable {
  campaign_id: string
  seq: number
  hash: string
  /** Ed25519 signature (base64) of the head by the key in KEY_DIR (migration 0012); null before its first append since. */
  signature: ColumnType<string | null, string | null | undefined, string | null>
  /** Which key signed it (`services/keys.ts` keyId). */
  key_id: ColumnType<string | null, string | null | undefined, string | null>
}

/** METHOD.md §3 network_burst: the last QR receive times per (campaign, keyed hash of the address); migration 0014. */
export interface NetworkWindowsTable {
  campaign_id: string
  network_key: string
  /** JSON array of ISO instants, oldest first, at most NETWORK_BURST.max. */
  times_json: string
}

/** Fixed-window request counters, in the database so that every instance shares them. */
export interface RateLimitsTable {
  bucket: string
  window_start: number
  count: number
}

/** When ingest last accepted a response for a community of a campaign (live progress, C5). */
export interface CommunityActivityTable {
  campaign_id: string
  community_id: string
  last_received_at: string
}

/** One door-to-door visit (migration 0008): the visit register, a sync item of its own. */
export interface VisitsTable {
  id: string
  campaign_id: string
  community_id: string
  household_key: string
  /** completed | not_home | refused | revisit */
  outcome: string
  /** UTC ISO-8601 (normalised), so text order is time order. */
  visited_at: string
  response_id: string | null
  worker_id: string | null
  device_id: string
  received_at: string
  content_hash: string
  evidence_json: string | null
}

/** The final visit of each household of a campaign (METHOD.md §11), kept at ingest. */
export interface HouseholdsTable {
  campaign_id: string
  household_key: string
  community_id: string
  outcome: string
  visited_at: string
  visit_id: string
}

/** Households by final outcome per community, kept in step with `households`. */
export interface FieldworkCellsTable {
  campaign_id: string
  community_id: string
  outcome: string
  count: number
}

export interface CoreTables {
  org_units: OrgUnitsTable
  questionnaires: QuestionnairesTable
  questionnaire_versions: QuestionnaireVersionsTable
  campaigns: CampaignsTable
  campaign_communities: CampaignCommunitiesTable
  link_tokens: LinkTokensTable
  household_codes: HouseholdCodesTable
  responses: ResponsesTable
  response_reviews: ResponseReviewsTable
  conflicts: ConflictsTable
  symposiums: SymposiumsTable
  devices: DevicesTable
  device_campaigns: DeviceCampaignsTable
  household_counts: HouseholdCountsTable
  community_activity: CommunityActivityTable
  aggregate_cells: AggregateCellsTable
  visits: VisitsTable
  households: HouseholdsTable
  fieldwork_cells: FieldworkCellsTable
  evidence_log: EvidenceLogTable
  evidence_heads: EvidenceHeadsTable
  network_windows: NetworkWindowsTable
  rate_limits: RateLimitsTable
}
