import { ATTENDEE_CATEGORIES, type AttendeeCategory, type CampaignDetail, type SymposiumItem } from '@minyi/shared/schemas'

/**
 * Recording a symposium from the console (SymposiumsPanel.vue lays the form out): what the form
 * holds, and the sync item it becomes — the same item a recorder's device sends.
 */
export interface SymposiumForm {
  title: string
  /** `YYYY-MM-DD`, the Asia/Shanghai day. */
  date: string
  place: string
  communityId: string
  host: string
  recorder: string
  attendees: Record<AttendeeCategory, number>
}

/** An empty form dated `today`, in the campaign's first community, with no attendees. */
export function emptySymposiumForm(campaign: CampaignDetail, today: string): SymposiumForm {
  return {
    title: '',
    date: today,
    place: '',
    communityId: campaign.communities[0]?.id ?? '',
    host: '',
    recorder: '',
    attendees: Object.fromEntries(ATTENDEE_CATEGORIES.map((c) => [c, 0])) as Record<AttendeeCategory, number>,
  }
}

/** The sync item (kind `symposium`) for the form, trimmed, with no remarks yet (a recorder adds them on the device). */
export function symposiumItem(campaignId: string, form: SymposiumForm, id: string): SymposiumItem {
  return {
    kind: 'symposium',
    id,
    campaignId,
    title: form.title.trim(),
    date: form.date,
    place: form.place.trim(),
    communityId: form.communityId,
    streetId: null,
    host: form.host.trim(),
    recorder: form.recorder.trim(),
    attendees: { ...form.attendees },
    remarks: [],
  }
}

/** Everyone who attended, whatever their category. */
export const attendeeTotal = (attendees: Record<string, number>) => Object.values(attendees).reduce((n, x) => n + x, 0)
