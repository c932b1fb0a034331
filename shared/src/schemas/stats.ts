import { Channel, Id, Instant } from './common.ts'
import { z } from './zod.ts'

// Answers of the evaluator's read routes beyond the indicator: the server returns these shapes, the
// console reads them, and the OpenAPI description is generated from them.

const Rate = z.number().min(0).max(1)

/** `GET …/log/verify`: the walk of the hash-chained evidence log. */
export const ChainVerdict = z.object({
  ok: z.boolean(),
  length: z.number().int().min(0),
  /** The first entry whose link, hash or response content does not match; null when ok. */
  firstBadSeq: z.number().int().nullable(),
})
export type ChainVerdict = z.infer<typeof ChainVerdict>

/** `GET …/breakdown/:questionId`: the rate among those who gave each answer to a single-choice question. */
export const BreakdownGroup = z.object({
  /** The option's value, or null for "not answered". */
  value: z.string().nullable(),
  label: z.string(),
  received: z.number().int().min(0),
  valid: z.number().int().min(0),
  rate: Rate.nullable(),
  ci95: z.tuple([Rate, Rate]).nullable(),
  smallSample: z.boolean(),
})
export type BreakdownGroup = z.infer<typeof BreakdownGroup>
export const Breakdown = z.object({ questionId: z.string(), groups: z.array(BreakdownGroup) })
export type Breakdown = z.infer<typeof Breakdown>

/** `GET …/comments`: free-text answers, newest first, with the cursor to continue. */
export const Comment = z.object({
  responseId: Id,
  communityId: Id,
  channel: Channel,
  submittedAt: Instant,
  questionId: z.string(),
  text: z.string(),
})
export type Comment = z.infer<typeof Comment>
export const CommentPage = z.object({
  comments: z.array(Comment),
  /** Pass as `before` to continue further back; null when every response has been searched. */
  next: z.string().nullable(),
})
export type CommentPage = z.infer<typeof CommentPage>

/** `GET …/symposiums`: a symposium with its rating sheets received and its own QR link, once made. */
export const SymposiumSummary = z.object({
  id: Id,
  title: z.string(),
  date: z.string(),
  place: z.string(),
  communityId: Id.nullable(),
  streetId: Id.nullable(),
  host: z.string(),
  recorder: z.string(),
  attendees: z.record(z.string(), z.number().int()),
  remarks: z.number().int().min(0),
  sheets: z.number().int().min(0),
  url: z.string().nullable(),
})
export type SymposiumSummary = z.infer<typeof SymposiumSummary>
