import { z } from './zod.ts'

/** Text shown to people: zh-CN always, English optional (falls back to zh). */
export const I18nText = z.object({
  zh: z.string().min(1).max(2000),
  en: z.string().max(2000).optional(),
})
export type I18nText = z.infer<typeof I18nText>

/** Ids are UUIDs; responses use client-generated UUIDv7 (time-ordered, so indexes stay append-mostly). */
export const Id = z.string().uuid()
export const UuidV7 = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i, 'expected a UUIDv7')

/** An instant with an offset (stored as UTC, shown in Asia/Shanghai). */
export const Instant = z.string().datetime({ offset: true })

/** True for a real calendar date written YYYY-MM-DD (so 2026-02-30 and 2026-99-99 are not). */
export function isLocalDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  if (!m) return false
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3])
}

/** A calendar date (YYYY-MM-DD), e.g. a symposium date or a follow-up due date; 2026-99-99 is refused. */
export const LocalDate = z.string().refine(isLocalDate, 'expected a calendar date YYYY-MM-DD')

export const CHANNELS = ['qr', 'door', 'paper', 'symposium'] as const
export const Channel = z.enum(CHANNELS)
export type Channel = z.infer<typeof Channel>

export const ROLES = ['admin', 'evaluator', 'worker'] as const
export const Role = z.enum(ROLES)
export type Role = z.infer<typeof Role>

/** Position evidence keeps 3 decimals of a degree (about 100 m): coarse on purpose (PRODUCT.md C3). */
export const COARSE_DECIMALS = 3
/** Rounds a coordinate to the coarse precision that is kept (the device rounds before it sends). */
export function coarseDegrees(v: number): number {
  const f = 10 ** COARSE_DECIMALS
  return Math.round(v * f) / f
}

/**
 * Optional evidence, only given after the respondent's consent: a coarse position. A finer one is
 * rounded, not refused: the questionnaire or visit it comes with must not be lost over it, and the
 * server never keeps more than the coarse figure (the content hash is taken after rounding).
 */
export const CoarsePosition = z.object({
  lat: z.number().min(-90).max(90).transform(coarseDegrees),
  lng: z.number().min(-180).max(180).transform(coarseDegrees),
  accuracyM: z.number().min(0),
})
export type CoarsePosition = z.infer<typeof CoarsePosition>
