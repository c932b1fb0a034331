// C4 symposiums (座谈会), as staff and residents see them. Symposiums, their remarks and every change
// of a follow-up arrive through sync (kinds `symposium`, `remark`, `follow_up` in
// `services/sync/kinds/`); here they are read back:
// - `meetings.ts`: the list with rating sheets received, each symposium's own QR link, the projector count;
// - `ledger.ts`: the 整改台账 (every remark, its current follow-up and history), its summary for the
//   report and exports (`ledgerSummary`), and staff marking a remark public;
// - `public.ts`: a community's public page of what was done.
export { campaignLedger, ledgerSummary, setPublic } from './ledger.ts'
export { listCampaignSymposiums, symposiumCount, symposiumLink } from './meetings.ts'
export { publicRemarks } from './public.ts'
