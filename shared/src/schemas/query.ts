import { Id, Instant, UuidV7 } from './common.ts'
import { CleanString } from './text.ts'
import { z } from './zod.ts'

// The query strings of the API, parsed by the server (400 `validation_failed` otherwise) and built by
// the console with the same names. Numbers are plain digits: no sign, fraction, exponent or Infinity,
// which used to reach SQL as `OFFSET 1.5` (issue 10).

const wholeNumber = (min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d{1,10}$/, 'expected a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .default(fallback)

/** `?x=1` / `true` on; absent, `0` or `false` off. */
const flag = z
  .enum(['0', '1', 'true', 'false'])
  .optional()
  .transform((v) => v === '1' || v === 'true')

/** `GET /campaigns/:id/indicator?recompute=1`: from the raw rows instead of the kept aggregates. */
export const IndicatorQuery = z.object({ recompute: flag })
/** `GET /campaigns/:id/devices?all=1`: every device, not only those still reporting unsent items. */
export const DevicesQuery = z.object({ all: flag })
/** `GET /campaigns/:id/responses`: flagged, excluded or reviewed responses, a page at a time. */
export const FlaggedQuery = z.object({ limit: wholeNumber(1, 500, 100), offset: wholeNumber(0, 1_000_000_000, 0) })
/** `GET /campaigns/:id/comments`: a case-insensitive substring, the cursor (`next` of the previous page), a page size. */
export const CommentsQuery = z.object({
  q: CleanString.max(200).default(''),
  before: z.union([z.literal(''), UuidV7]).default(''),
  limit: wholeNumber(1, 200, 50),
})
/** `GET /campaigns/:id/report.docx?lang=en`: the report section in the console's language (zh-CN unless `en`). */
export const ReportQuery = z.object({ lang: z.enum(['zh', 'en']).default('zh') })

/** `GET /audit` and `/audit/export.csv`: filters (all optional, combined with AND) and the cursor. */
export const AuditQuery = z.object({
  actorId: z.union([z.literal(''), Id]).default(''),
  /** An action (`staff.update`), or a noun to take all its actions (`staff`). */
  action: z
    .string()
    .regex(/^$|^[a-z_]+(\.[a-z_]+)?$/, 'expected an action or its noun')
    .default(''),
  campaignId: z.union([z.literal(''), Id]).default(''),
  from: z.union([z.literal(''), Instant]).default(''),
  to: z.union([z.literal(''), Instant]).default(''),
  before: wholeNumber(0, 1_000_000_000_000, 0),
  limit: wholeNumber(1, 500, 100),
})
export type AuditQuery = z.infer<typeof AuditQuery>
