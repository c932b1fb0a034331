import { type CoarsePosition, coarseDegrees, type ResponseItemInput, type VisitItemInput, type VisitOutcome } from '@minyi/shared/schemas'
import { uuidv7 } from '@minyi/shared/uuid'
import type { VisitRow } from '../db/index.ts'
import type { WorkerSave } from '../sync/outbox.ts'

// What a worker's save puts in the outbox (no Vue): the questionnaire (channel door or paper), the
// visit that names it, and the phone's register line with the raw door number (never sent).

export interface Household {
  campaignId: string
  communityId: string
  door: string
  householdKey: string
}

export interface Interview {
  questionnaireVersion: number
  channel: 'door' | 'paper' | 'symposium'
  answers: ResponseItemInput['answers']
  startedAt: string
  /** The paper form's serial number (channel paper). */
  serial?: string | null
  evidence?: CoarsePosition | null
}

/** One visit: its outcome and, for 完成, the questionnaire it produced. */
export function visitSave(workerId: string, h: Household, outcome: VisitOutcome, at: Date, interview?: Interview): WorkerSave {
  const visitedAt = at.toISOString()
  const responseId = interview ? uuidv7(at.getTime()) : null
  const evidence = interview?.evidence ?? null
  const visit: VisitItemInput = {
    kind: 'visit',
    id: uuidv7(at.getTime()),
    campaignId: h.campaignId,
    communityId: h.communityId,
    householdKey: h.householdKey,
    outcome,
    visitedAt,
    responseId,
    ...(evidence ? { evidence } : {}),
  }
  const register: VisitRow = {
    id: visit.id,
    workerId,
    campaignId: h.campaignId,
    communityId: h.communityId,
    door: h.door,
    householdKey: h.householdKey,
    outcome,
    visitedAt,
    responseId,
  }
  return { visit, register, ...(interview && responseId ? { response: responseOf(responseId, h, interview, visitedAt) } : {}) }
}

/** A paper form typed in: a questionnaire with channel `paper` and no visit (nobody was visited). */
export function paperSave(campaignId: string, communityId: string, at: Date, interview: Interview): WorkerSave {
  return { response: responseOf(uuidv7(at.getTime()), { campaignId, communityId, householdKey: null }, interview, at.toISOString()) }
}

/** A rating sheet typed by a symposium's recorder: channel `symposium`, its id, counted in its community. */
export function sheetSave(campaignId: string, communityId: string, symposiumId: string, at: Date, interview: Interview): WorkerSave {
  return {
    response: responseOf(uuidv7(at.getTime()), { campaignId, communityId, householdKey: null, symposiumId }, interview, at.toISOString()),
  }
}

function responseOf(
  id: string,
  h: { campaignId: string; communityId: string; householdKey: string | null; symposiumId?: string },
  i: Interview,
  submittedAt: string,
): ResponseItemInput {
  return {
    kind: 'response',
    id,
    campaignId: h.campaignId,
    questionnaireVersion: i.questionnaireVersion,
    communityId: h.communityId,
    channel: i.channel,
    startedAt: i.startedAt,
    submittedAt,
    answers: i.answers,
    householdKey: h.householdKey,
    symposiumId: h.symposiumId ?? null,
    ...(i.serial ? { serial: i.serial } : {}),
    ...(i.evidence ? { evidence: i.evidence } : {}),
  }
}

/**
 * The coarse position (3 decimals, about 100 m) when the respondent agreed; null when the browser has
 * no geolocation, the permission is refused or nothing comes within the timeout — a refusal changes
 * nothing else (PRODUCT.md C3).
 */
export function coarsePosition(
  geo: Geolocation | undefined = globalThis.navigator?.geolocation,
  timeoutMs = 10_000,
): Promise<CoarsePosition | null> {
  if (!geo) return Promise.resolve(null)
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), timeoutMs + 500)
    geo.getCurrentPosition(
      (p) => {
        clearTimeout(timer)
        resolve({ lat: coarseDegrees(p.coords.latitude), lng: coarseDegrees(p.coords.longitude), accuracyM: Math.round(p.coords.accuracy) })
      },
      () => {
        clearTimeout(timer)
        resolve(null)
      },
      { enableHighAccuracy: false, timeout: timeoutMs, maximumAge: 10 * 60_000 },
    )
  })
}
