/**
 * The named groupings of the sales reports' `by` option. Kept apart from `./common` so that
 * exporting them does not put the reports' shared code in a host app's initial chunk.
 *
 * @module
 */

/** Named groupings accepted wherever a report takes `by`; anything else is a field path. */
export const GROUPINGS: Readonly<Record<string, string>> = {
  owner: 'ownerId',
  team: 'teamId',
  source: 'source',
  pipeline: 'pipelineId',
  stage: 'stageId',
  campaign: 'campaignId',
  customer: 'customerId',
  currency: 'value.currency',
};
