import { randomUUID } from 'node:crypto'
import type { OrgUnit, OrgUnitInput } from '@minyi/shared/schemas'
import { getOrgUnit, getOrgUnitByCode, insertOrgUnit, listOrgUnits, type OrgUnitRow, updateOrgUnit } from '../db/queries/org-units.ts'
import { ProblemError } from '../http/problem.ts'
import { invalidateAllCampaigns } from './campaign-context.ts'
import type { Deps } from './deps.ts'

/** district → street → community: each level's parent is the level above. */
const PARENT_KIND = { district: null, street: 'district', community: 'street' } as const

export function orgUnitOut(r: OrgUnitRow): OrgUnit {
  return {
    id: r.id,
    kind: r.kind,
    parentId: r.parent_id,
    code: r.code,
    name: r.name,
    population: r.population === null ? null : Number(r.population),
  }
}

export async function listUnits(deps: Deps): Promise<OrgUnit[]> {
  return (await listOrgUnits(deps.db.db)).map(orgUnitOut)
}

export async function createUnit(deps: Deps, input: OrgUnitInput): Promise<OrgUnit> {
  const wanted = PARENT_KIND[input.kind]
  if (wanted === null && input.parentId !== null)
    throw new ProblemError('validation_failed', { details: [{ path: 'parentId', message: 'a district has no parent' }] })
  if (wanted !== null) {
    const parent = input.parentId ? await getOrgUnit(deps.db.db, input.parentId) : undefined
    if (!parent || parent.kind !== wanted)
      throw new ProblemError('validation_failed', {
        details: [{ path: 'parentId', message: `the parent of a ${input.kind} must be a ${wanted}` }],
      })
  }
  if (await getOrgUnitByCode(deps.db.db, input.code))
    throw new ProblemError('conflict', { details: [{ path: 'code', message: 'code already in use' }] })
  const row: OrgUnitRow = {
    id: randomUUID(),
    kind: input.kind,
    parent_id: input.parentId,
    code: input.code,
    name: input.name,
    population: input.population,
    created_at: deps.now().toISOString(),
  }
  await insertOrgUnit(deps.db.db, row)
  return orgUnitOut(row)
}

export async function patchUnit(
  deps: Deps,
  id: string,
  patch: { code?: string; name?: string; population?: number | null },
): Promise<OrgUnit> {
  const current = await getOrgUnit(deps.db.db, id)
  if (!current) throw new ProblemError('not_found')
  if (patch.code && patch.code !== current.code && (await getOrgUnitByCode(deps.db.db, patch.code)))
    throw new ProblemError('conflict', { details: [{ path: 'code', message: 'code already in use' }] })
  await updateOrgUnit(deps.db.db, id, patch)
  // A community's population and name are part of every campaign context that includes it (issue 10).
  invalidateAllCampaigns(deps)
  const next = await getOrgUnit(deps.db.db, id)
  if (!next) throw new ProblemError('not_found')
  return orgUnitOut(next)
}
