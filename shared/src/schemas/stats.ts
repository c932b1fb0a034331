import { Exclusion, Flag } from './campaign.ts'
import { Channel, Id, Instant } from './common.ts'
import { Device } from './staff.ts'
import { z } from './zod.ts'

// Answers of the evaluator's read routes beyond the indicator: the server returns these shapes, the
// console reads them, and the OpenAPI description is generated from them.

const Rate = z.number().min(0).max(1)

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

/** `POST …/symposiums/:symposiumId/link`: the symposium's own QR link (made once). */
export const SymposiumLink = z.object({ url: z.string() })
export type SymposiumLink = z.infer<typeof SymposiumLink>

/** `GET …/symposiums/:symposiumId/count`: the projector's figure. */
export const SymposiumCount = z.object({ id: Id, title: z.string(), sheets: z.number().int().min(0) })
export type SymposiumCount = z.infer<typeof SymposiumCount>

/** `GET …/activity`: when each community of the campaign last had a response accepted. */
export const CommunityActivity = z.object({ communityId: Id, lastReceivedAt: Instant })
export type CommunityActivity = z.infer<typeof CommunityActivity>

/**
 * `GET …/workers`: the workers of a campaign by name, for the interviewer check (whose entries carry
 * only ids): the worker accounts assigned to its communities and every staff member whose door
 * questionnaires it counts.
 */
export const CampaignWorker = z.object({ id: Id, name: z.string(), login: z.string() })
export type CampaignWorker = z.infer<typeof CampaignWorker>

/** `GET …/devices`: a device that sent to the campaign, with how many responses it sent. */
export const CampaignDevice = Device.extend({ responses: z.number().int().min(0) })
export type CampaignDevice = z.infer<typeof CampaignDevice>

/** `GET …/responses`: a flagged or excluded response, as the review screen shows it. */
export const FlaggedResponse = z.object({
  id: Id,
  communityId: Id,
  channel: Channel,
  questionnaireVersion: z.number().int().positive(),
  deviceId: z.string(),
  workerId: Id.nullable(),
  startedAt: Instant,
  submittedAt: Instant,
  receivedAt: Instant,
  /** As stored: answers to questions a later version removed are kept. */
  answers: z.record(z.string(), z.unknown()),
  flags: z.array(Flag),
  exclusion: Exclusion.nullable(),
  /** 'include' when an evaluator kept the response despite its flags. */
  review: z.literal('include').nullable(),
})
export type FlaggedResponse = z.infer<typeof FlaggedResponse>

/** `PATCH …/responses/:responseId/review`: the response's state after the decision. */
export const ReviewResult = FlaggedResponse.pick({ id: true, flags: true, exclusion: true, review: true }).extend({ reviewedAt: Instant })
export type ReviewResult = z.infer<typeof ReviewResult>
