import type { Fieldwork } from '../schemas/indicator.ts'
import { VISIT_OUTCOMES, type VisitOutcome } from '../schemas/visit.ts'
import { proportion } from './wilson.ts'

/** One visit as the method needs it (a stored visit row fits once mapped). */
export interface VisitInput {
  id: string
  communityId: string
  householdKey: string
  outcome: VisitOutcome
  /** ISO-8601 instant. */
  visitedAt: string
}

/** Households by their final outcome, per community: the kept form of METHOD.md §11. */
export type FieldworkTally = Record<string, Record<VisitOutcome, number>>

export function emptyOutcomeCounts(): Record<VisitOutcome, number> {
  return { completed: 0, not_home: 0, refused: 0, revisit: 0 }
}

/**
 * METHOD.md §11: a household's final outcome is that of its latest visit, by `visitedAt`, then by id.
 * True when `a` comes after `b` in that order (instants compared as instants, whatever their offset).
 */
export function isLaterVisit(a: Pick<VisitInput, 'id' | 'visitedAt'>, b: Pick<VisitInput, 'id' | 'visitedAt'>): boolean {
  const ta = Date.parse(a.visitedAt)
  const tb = Date.parse(b.visitedAt)
  return ta !== tb ? ta > tb : a.id > b.id
}

/** The final visit of each household (by key, within one campaign). */
export function finalVisits<V extends VisitInput>(visits: Iterable<V>): Map<string, V> {
  const out = new Map<string, V>()
  for (const v of visits) {
    const prior = out.get(v.householdKey)
    if (!prior || isLaterVisit(v, prior)) out.set(v.householdKey, v)
  }
  return out
}

/** Counts one household, by its final visit, into `into` in place. */
export function addHousehold(into: FieldworkTally, final: Pick<VisitInput, 'communityId' | 'outcome'>): void {
  const counts = into[final.communityId] ?? emptyOutcomeCounts()
  counts[final.outcome]++
  into[final.communityId] = counts
}

/** Households counted by final outcome in the community of their final visit. */
export function fieldworkTally(visits: Iterable<VisitInput>): FieldworkTally {
  const out: FieldworkTally = {}
  for (const v of finalVisits(visits).values()) addHousehold(out, v)
  return out
}

/** Adds one community's (or several's) outcome counts into `into` in place. */
export function addOutcomeCounts(into: Record<VisitOutcome, number>, add: Readonly<Record<VisitOutcome, number>>): void {
  for (const o of VISIT_OUTCOMES) into[o] += add[o]
}

/**
 * METHOD.md §11 figures from households counted by final outcome:
 * response rate (AAPOR RR1, not-at-home as non-contact) = completed / (completed + refused + not_home),
 * contact rate = (completed + refused) / (completed + refused + not_home); households whose final
 * outcome is `revisit` are in neither. Null when that denominator is 0.
 */
export function fieldworkFigures(c: Readonly<Record<VisitOutcome, number>>): Fieldwork {
  const resolved = c.completed + c.refused + c.not_home
  return {
    households: c.completed + c.not_home + c.refused + c.revisit,
    completed: c.completed,
    notHome: c.not_home,
    refused: c.refused,
    revisit: c.revisit,
    responseRate: proportion(c.completed, resolved),
    contactRate: proportion(c.completed + c.refused, resolved),
  }
}

/** Below this response rate the report paragraph states it (METHOD.md §11). */
export const LOW_RESPONSE_RATE = 0.5
