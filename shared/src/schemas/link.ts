import { CampaignDetail } from './campaign.ts'
import { Channel, Id } from './common.ts'
import { Community } from './org.ts'
import { z } from './zod.ts'

/**
 * What a resident's phone gets for a QR link (`GET /api/v1/links/:token`, anonymous): the campaign's
 * public part — no quotas, indicator config or other communities — and the community and channel
 * the link stands for.
 */
export const PublicCampaign = CampaignDetail.pick({
  id: true,
  title: true,
  description: true,
  status: true,
  opensAt: true,
  closesAt: true,
  publishedAt: true,
  questionnaire: true,
  privacyNotice: true,
}).extend({ communities: z.array(Community) })
export type PublicCampaign = z.infer<typeof PublicCampaign>

/** The token of a QR link (`/s/<token>`): base62, 16 characters as made, up to 64 accepted. */
export const LinkToken = z.string().regex(/^[0-9A-Za-z]{16,64}$/, 'expected a link token')

export const LinkResolution = z.object({
  campaign: PublicCampaign,
  communityId: Id,
  channel: Channel,
  /** Set for a symposium's own QR code: rating sheets then carry this symposium id. */
  symposiumId: Id.nullable(),
})
export type LinkResolution = z.infer<typeof LinkResolution>

/**
 * Single-use household codes (入户码) are sent as the response's `householdKey` and start with this
 * prefix; any other household key is a door number hashed on the device.
 */
export const HOUSEHOLD_CODE_PREFIX = 'hc_'
