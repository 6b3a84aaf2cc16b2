import * as z from 'zod';

/** A reply in the conversation API: an action on offer with its values, or the customer's own words. */
export const conversationReply = z.union([
	z
		.strictObject({
			actionId: z.string().min(1).max(100).meta({ description: 'The id of one of the actions on offer.' }),
			values: z
				.record(z.string(), z.unknown())
				.optional()
				.meta({
					description:
						'By kind: items `{ "items": [{ "id", "quantity" }] }`, choice `{ "choice": id }`, size `{ "size": id }`, photo `{ "photoIds": [...] }`; ' +
						'confirm may carry `{ "expectedTotal": <minor units shown> }`, refused (409) if it is not the policy\'s.'
				})
		})
		.meta({ title: 'Action' }),
	z.strictObject({ text: z.string().trim().min(1).max(2000).meta({ description: 'What is wrong, in the customer\'s own words.' }) }).meta({ title: 'Text' })
]);
