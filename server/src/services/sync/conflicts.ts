import type { ConflictRow } from '../../db/queries/conflicts.ts'
import { randomToken } from '../hashing.ts'

/** The record of a payload that came under a stored id with different content (kept for review, never stored over it). */
export function conflictRow(id: string, campaignId: string, deviceId: string, hash: string, payload: unknown, at: string): ConflictRow {
  return {
    id: randomToken(22),
    response_id: id,
    campaign_id: campaignId,
    device_id: deviceId,
    content_hash: hash,
    payload_json: JSON.stringify(payload),
    received_at: at,
  }
}
