import { computeFlags, durationSeconds, flagsKey, flagsOfKey, ratedAnswersOf } from '@minyi/shared/method'
import type { Flag } from '@minyi/shared/schemas'
import { getResponses, setResponseStateIf } from '../../../../db/queries/responses.ts'
import type { Q } from '../../../../db/tx.ts'
import { type TallyBatch, tallyInputOf } from '../../../aggregates.ts'
import type { CampaignContext } from '../../../campaign-context.ts'
import type { ResponseChecked } from './check.ts'

/** What the flags of a new response depend on beyond the response itself. */
export interface FlagSeen {
  /** QR responses from this device to this campaign stored before this one. */
  deviceBefore: number
  /** Another response with this household key came before this one. */
  householdSeen: boolean
  /** QR responses from this network address to this campaign in the `network_burst` window before this one. */
  networkBefore: number
  receivedAt: string
  /** Its id came again in this batch with different content. */
  conflict: boolean
}

/** The method's quality flags (METHOD.md) of a new response. */
export function flagsOf(c: ResponseChecked, seen: FlagSeen): Flag[] {
  const { item, ctx } = c
  const rated = ratedAnswersOf(c.version.questions, item.answers)
  const flags = computeFlags({
    rules: ctx.config.flagRules,
    ratedItemCount: rated.length,
    durationSeconds: durationSeconds(item.startedAt, item.submittedAt),
    ratedAnswers: rated,
    channel: item.channel,
    deviceCountBefore: seen.deviceBefore,
    householdSeen: seen.householdSeen,
    networkCountBefore: seen.networkBefore,
    submittedAt: item.submittedAt,
    receivedAt: seen.receivedAt,
    publishedAt: ctx.row.published_at,
    closesAt: ctx.row.closes_at,
  })
  if (seen.conflict) flags.push('conflict')
  return flags
}

/**
 * A stored response got a different payload under its id: it keeps its content and gains the
 * `conflict` flag, and its aggregate rows move from the old flags to the new. The update is
 * conditional on the flags read, so a concurrent instance that flagged it first wins and this one skips.
 */
export async function flagConflicts(trx: Q, ids: string[], ctxs: Map<string, CampaignContext>, tallies: TallyBatch): Promise<void> {
  for (const row of await getResponses(trx, ids)) {
    const flags = flagsOfKey(row.flags)
    if (flags.includes('conflict')) continue
    const questions = ctxs.get(row.campaign_id)?.versions.get(Number(row.questionnaire_version))?.questions
    if (!questions) continue
    const next = flagsKey([...flags, 'conflict'])
    if (!(await setResponseStateIf(trx, row.id, { flags: row.flags, exclusion: row.exclusion, review: row.review }, { flags: next })))
      continue
    const answers = JSON.parse(row.answers_json)
    tallies.add(row.campaign_id, questions, tallyInputOf(row, answers), -1)
    tallies.add(row.campaign_id, questions, tallyInputOf({ ...row, flags: next }, answers))
  }
}
