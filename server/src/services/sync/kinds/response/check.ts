import type { ResponseItem } from '@minyi/shared/schemas'
import type { Principal } from '../../../../auth/principal.ts'
import { checkAnswers } from '../../../answers.ts'
import type { CampaignContext, VersionInfo } from '../../../campaign-context.ts'
import { type ContentColumns, contentHash } from '../../../evidence.ts'
import { canonicalJson } from '../../../hashing.ts'
import { type CheckedItem, type IngestOptions, type Rejected, rejected } from '../../kind.ts'
import type { ResponseParsed } from './parse.ts'

export interface ResponseChecked extends CheckedItem {
  kind: 'response'
  item: ResponseItem
  version: VersionInfo
  /** The columns of its row that the content hash covers: stored as they are, so the evidence check re-derives the same hash. */
  columns: ContentColumns
}

/** A cached context that lacks the campaign, version or community the response names may just be old. */
export function isStale({ item }: ResponseParsed, ctx: CampaignContext | undefined): boolean {
  return !ctx?.versions.has(item.questionnaireVersion) || !ctx.communities.has(item.communityId)
}

/** Checks a response against its campaign, version and the caller's rights. */
export function checkResponse(
  p: ResponseParsed,
  ctx: CampaignContext | undefined,
  principal: Principal,
  opts: IngestOptions,
): ResponseChecked | Rejected {
  const { id, item } = p
  if (!ctx) return rejected(id, 'unknown_campaign')
  if (ctx.row.status === 'draft' || ctx.versions.size === 0) return rejected(id, 'campaign_not_open')
  if (!ctx.communities.has(item.communityId)) return rejected(id, 'unknown_community')
  const version = ctx.versions.get(item.questionnaireVersion)
  if (!version) return rejected(id, 'unknown_version')
  if (item.channel === 'door' || item.channel === 'paper') {
    // PRODUCT.md: door and paper need a worker's credentials, for a community assigned to that worker.
    if (principal.kind !== 'staff') return rejected(id, 'channel_forbidden')
    if (principal.role !== 'worker' && !opts.importing) return rejected(id, 'channel_forbidden')
    if (principal.role === 'worker' && !principal.communityIds.includes(item.communityId)) return rejected(id, 'community_not_assigned')
  }
  if (item.channel === 'symposium' && item.symposiumId === null) return rejected(id, 'unknown_symposium')
  // A symposium id on a QR (or door, paper) answer would count it on that symposium's projector.
  if (item.channel !== 'symposium' && item.symposiumId !== null)
    return rejected(id, 'symposium_mismatch', 'symposiumId is for channel symposium only')
  // A serial number names a paper form: on any other channel it means the item was built wrong.
  if (item.serial && item.channel !== 'paper') return rejected(id, 'invalid_item', 'serial is for channel paper only')
  if (Date.parse(item.startedAt) > Date.parse(item.submittedAt)) return rejected(id, 'invalid_time', 'startedAt is after submittedAt')
  const bad = checkAnswers(version, item.answers)
  if (bad) return rejected(id, bad.code, bad.message)
  const columns = contentColumns(item)
  return {
    kind: 'response',
    id,
    campaignId: p.campaignId,
    item,
    ctx,
    version,
    columns,
    hash: contentHash(columns, true),
    symposiumRef: item.symposiumId,
  }
}

const iso = (s: string) => new Date(s).toISOString()

/** What the device sent, as stored: instants in UTC, answers as canonical JSON (sorted keys). */
function contentColumns(item: ResponseItem): ContentColumns {
  return {
    id: item.id,
    campaign_id: item.campaignId,
    questionnaire_version: item.questionnaireVersion,
    community_id: item.communityId,
    channel: item.channel,
    started_at: iso(item.startedAt),
    submitted_at: iso(item.submittedAt),
    answers_json: canonicalJson(item.answers),
    household_key: item.householdKey,
    symposium_id: item.symposiumId,
    test: item.test ? 1 : 0,
    evidence_json: item.evidence ? JSON.stringify(item.evidence) : null,
    serial: item.serial ?? null,
  }
}
