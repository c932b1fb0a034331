import { Id } from './common.ts'
import { z } from './zod.ts'

/** district (区) → street (街道) → community (社区). */
export const OrgKind = z.enum(['district', 'street', 'community'])
export type OrgKind = z.infer<typeof OrgKind>

export const OrgUnit = z.object({
  id: Id,
  kind: OrgKind,
  parentId: Id.nullable(),
  code: z.string().min(1).max(64),
  name: z.string().min(1).max(200),
  /** Residents or households (the campaign's indicator config says which); null when unknown. */
  population: z.number().int().positive().nullable(),
})
export type OrgUnit = z.infer<typeof OrgUnit>

/** A community as the campaign detail contract shows it. */
export const Community = z.object({
  id: Id,
  code: z.string(),
  name: z.string(),
  population: z.number().int().positive().nullable(),
  parentId: Id.nullable().optional(),
})
export type Community = z.infer<typeof Community>

/** A street (街道) as the campaign detail contract shows it: the parent of some of the campaign's communities. */
export const Street = z.object({
  id: Id,
  code: z.string(),
  name: z.string(),
  population: z.number().int().positive().nullable(),
})
export type Street = z.infer<typeof Street>
