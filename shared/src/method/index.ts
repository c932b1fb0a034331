/**
 * The satisfaction method (METHOD.md) as pure functions: no DOM, no Node APIs, so the server, the
 * console and the exports share one implementation. Where things live:
 * - scales.ts (§1 presets), satisfied.ts (§2 satisfied set), ratings.ts (one item's rate and top-k);
 * - show-if.ts: which questions are shown and which answers count (client form, server checks, every figure);
 * - flags.ts (§3 soft flags of one response);
 * - wilson.ts, design.ts (ICC, deff, n_eff), post-stratify.ts (§5), sample-size.ts (§6),
 *   weighted-index.ts (§7), score.ts (§8), format.ts (§9 display);
 * - tally.ts: the config-independent integer aggregate the server stores as rows;
 *   cells.ts: what a config makes of a tally cell; config-fit.ts: checks a config against a questionnaire;
 * - interviewers.ts (§10 interviewer check, from the tally's door cells), fieldwork.ts (§11 final
 *   outcomes, response and contact rates, from visits or their kept counts);
 * - indicator.ts: `indicatorFromTally`, the one place the indicator object is built;
 *   compute.ts: `computeIndicator` (tally every response, then `indicatorFromTally`).
 */
export * from './cells.ts'
export * from './compute.ts'
export * from './config-fit.ts'
export * from './design.ts'
export * from './errors.ts'
export * from './fieldwork.ts'
export * from './flags.ts'
export * from './format.ts'
export * from './indicator.ts'
export * from './interviewers.ts'
export * from './post-stratify.ts'
export * from './ratings.ts'
export * from './report.ts'
export * from './sample-size.ts'
export * from './satisfied.ts'
export * from './scales.ts'
export * from './score.ts'
export * from './show-if.ts'
export * from './tally.ts'
export * from './weighted-index.ts'
export * from './wilson.ts'
