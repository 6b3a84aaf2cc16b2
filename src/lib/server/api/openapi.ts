import * as z from 'zod';
import { inventoryInput, productInput, sizeChart, variantInput, attributes } from '../catalogue/schema';
import { addressInput, customerInput, orderInput, orderLineInput } from '../orders/schema';
import { conversationReply } from '../conversation/api-schema';
import { redemptionInput } from '../credit/code';
import { money } from './schema';

/**
 * The OpenAPI 3.1 description of the shop API, served at /api/v1/openapi.json. Request bodies are
 * generated from the same zod schemas that validate them, so the document cannot drift from the code;
 * responses are written out here.
 */

type Json = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const nullable = (schema: Json) => ({ anyOf: [schema, { type: 'null' }] });
const str = (description?: string, extra: Json = {}) => ({ type: 'string', ...(description ? { description } : {}), ...extra });
const dateTime = (description?: string) => str(description, { format: 'date-time' });

function requestSchemas(): Record<string, Json> {
	const registry = z.registry<{ id: string }>();
	const named: [z.ZodType, string][] = [
		[money, 'Money'],
		[attributes, 'Attributes'],
		[sizeChart, 'SizeChart'],
		[variantInput, 'VariantInput'],
		[productInput, 'ProductInput'],
		[inventoryInput, 'InventoryInput'],
		[customerInput, 'CustomerInput'],
		[addressInput, 'Address'],
		[orderLineInput, 'OrderLineInput'],
		[orderInput, 'OrderInput'],
		[conversationReply, 'ConversationReply'],
		[redemptionInput, 'RedemptionInput']
	];
	for (const [schema, id] of named) registry.add(schema, { id });
	const { schemas } = z.toJSONSchema(registry, {
		target: 'draft-2020-12',
		io: 'input',
		unrepresentable: 'any',
		uri: (id) => `#/components/schemas/${id}`
	});
	const clean = (node: unknown): unknown => {
		if (Array.isArray(node)) return node.map(clean);
		if (!node || typeof node !== 'object') return node;
		const out: Json = {};
		for (const [k, v] of Object.entries(node as Json)) {
			if (k === '$schema' || k === '$id') continue;
			// zod's date-time regex is exact but unreadable: `format` says the same to a reader.
			if (k === 'pattern' && (node as Json).format === 'date-time') continue;
			out[k] = clean(v);
		}
		return out;
	};
	return Object.fromEntries(Object.entries(schemas).map(([k, v]) => [k, clean(v) as Json]));
}

const attributeValue = {
	anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'array', items: { type: 'string' } }]
};

/** The policy's quote (issue 3), in integer minor units. */
const quoteSchema = nullable({
	type: 'object',
	description: 'In integer minor units: total = Σ lines − Σ fees + bonus + shipping.',
	required: ['currency', 'lines', 'fees', 'bonus', 'shipping', 'total'],
	properties: {
		currency: str(),
		lines: { type: 'array', items: { type: 'object', properties: { orderLineId: str(), quantity: { type: 'integer' }, amount: { type: 'integer' } } } },
		fees: { type: 'array', items: { type: 'object', properties: { code: str(), amount: { type: 'integer' } } } },
		bonus: { type: 'integer' },
		shipping: { type: 'integer' },
		total: { type: 'integer' }
	}
});

function responseSchemas(): Record<string, Json> {
	return {
		FieldError: {
			type: 'object',
			required: ['path', 'message'],
			properties: {
				path: str('JSON path of the bad value, e.g. `lines[0].quantity`.'),
				message: str('What is wrong with it, for a developer.')
			}
		},
		Error: {
			type: 'object',
			required: ['error'],
			properties: {
				error: {
					type: 'object',
					required: ['code', 'message'],
					properties: {
						code: {
							type: 'string',
							enum: [
								'unauthorized',
								'invalid_json',
								'validation_failed',
								'not_found',
								'conflict',
								'internal_error',
								'credit_not_found',
								'invalid_idempotency_key',
								'idempotency_conflict',
								'insufficient_balance',
								'credit_expired',
								'currency_mismatch'
							]
						},
						message: str(),
						fields: { type: 'array', items: ref('FieldError'), description: 'Every bad field (validation_failed and some conflicts).' }
					}
				}
			},
			examples: [
				{
					error: {
						code: 'validation_failed',
						message: 'The request has 2 invalid fields (first: lines[0].quantity: must be at least 1).',
						fields: [
							{ path: 'lines[0].quantity', message: 'must be at least 1' },
							{ path: 'lines[1].unitPrice.currency', message: 'must be the order\'s currency (EUR), got "USD"' }
						]
					}
				}
			]
		},
		Variant: {
			type: 'object',
			required: ['id', 'externalId', 'sku', 'title', 'price', 'compareAtPrice', 'options', 'attributes', 'inventoryQuantity', 'barcode', 'weightGrams'],
			properties: {
				id: str('Retour\'s id.', { format: 'uuid' }),
				externalId: str(),
				sku: str(),
				title: str('Defaults to the option values joined by " / ".'),
				price: ref('Money'),
				compareAtPrice: nullable(ref('Money')),
				options: { type: 'object', additionalProperties: { type: 'string' } },
				attributes: { type: 'object', additionalProperties: attributeValue },
				inventoryQuantity: { type: 'integer' },
				barcode: nullable(str()),
				weightGrams: nullable({ type: 'integer' })
			}
		},
		Product: {
			type: 'object',
			description: 'A product as stored.',
			required: ['id', 'externalId', 'title', 'description', 'vendor', 'category', 'tags', 'finalSale', 'url', 'options', 'attributes', 'sizeChart', 'images', 'variants', 'createdAt', 'updatedAt'],
			properties: {
				id: str('Retour\'s id.', { format: 'uuid' }),
				externalId: str(),
				title: str(),
				description: str(),
				vendor: nullable(str()),
				category: nullable(str()),
				tags: { type: 'array', items: { type: 'string' } },
				finalSale: { type: 'boolean' },
				url: nullable(str()),
				options: { type: 'array', items: { type: 'string' } },
				attributes: { type: 'object', additionalProperties: attributeValue },
				sizeChart: nullable(ref('SizeChart')),
				images: {
					type: 'array',
					items: {
						type: 'object',
						required: ['url', 'alt', 'variantExternalId'],
						properties: { url: str(), alt: str(), variantExternalId: nullable(str()) }
					}
				},
				variants: { type: 'array', items: ref('Variant') },
				createdAt: dateTime(),
				updatedAt: dateTime()
			}
		},
		InventoryResult: {
			type: 'object',
			required: ['items'],
			properties: {
				items: {
					type: 'array',
					items: { type: 'object', required: ['sku', 'quantity'], properties: { sku: str(), quantity: { type: 'integer' } } }
				}
			}
		},
		OrderLine: {
			type: 'object',
			required: ['id', 'externalId', 'position', 'sku', 'productId', 'variantId', 'title', 'variantTitle', 'quantity', 'unitPrice', 'discount', 'vatRate', 'vatAmount', 'total'],
			properties: {
				id: str(undefined, { format: 'uuid' }),
				externalId: str(),
				position: { type: 'integer' },
				sku: nullable(str()),
				productId: nullable(str(undefined, { format: 'uuid' })),
				variantId: nullable(str('The catalogue variant the line was matched to.', { format: 'uuid' })),
				title: str(),
				variantTitle: nullable(str()),
				quantity: { type: 'integer', minimum: 1 },
				unitPrice: ref('Money'),
				discount: ref('Money'),
				vatRate: { type: 'number', description: 'Percent, e.g. 20 or 5.5.' },
				vatAmount: ref('Money'),
				total: { ...ref('Money'), description: 'quantity × unitPrice − discount.' }
			}
		},
		Order: {
			type: 'object',
			required: ['id', 'externalId', 'orderNumber', 'currency', 'locale', 'taxesIncluded', 'customer', 'shippingAddress', 'lines', 'subtotal', 'shipping', 'tax', 'total', 'payment', 'orderedAt', 'fulfilledAt', 'deliveredAt', 'source', 'createdAt', 'updatedAt'],
			properties: {
				id: str('Retour\'s id.', { format: 'uuid' }),
				externalId: str(),
				orderNumber: str(),
				currency: str(undefined, { pattern: '^[A-Z]{3}$' }),
				locale: nullable({ type: 'string', enum: ['en', 'fr'] }),
				taxesIncluded: { type: 'boolean' },
				customer: {
					type: 'object',
					required: ['id', 'email', 'externalId', 'firstName', 'lastName'],
					properties: {
						id: str(undefined, { format: 'uuid' }),
						email: str(),
						externalId: nullable(str()),
						firstName: nullable(str()),
						lastName: nullable(str())
					}
				},
				shippingAddress: {
					type: 'object',
					required: ['name', 'line1', 'line2', 'postalCode', 'city', 'region', 'country'],
					properties: {
						name: str(),
						line1: str(),
						line2: nullable(str()),
						postalCode: str(),
						city: str(),
						region: nullable(str()),
						country: str()
					}
				},
				lines: { type: 'array', items: ref('OrderLine') },
				subtotal: { ...ref('Money'), description: 'Σ line totals.' },
				shipping: { type: 'object', required: ['amount', 'vatAmount'], properties: { amount: ref('Money'), vatAmount: ref('Money') } },
				tax: { ...ref('Money'), description: 'Σ line VAT + shipping VAT.' },
				total: { ...ref('Money'), description: 'subtotal + shipping, plus tax when taxesIncluded is false.' },
				payment: {
					type: 'object',
					required: ['stripePaymentIntentId', 'stripeChargeId'],
					properties: { stripePaymentIntentId: nullable(str()), stripeChargeId: nullable(str()) }
				},
				orderedAt: dateTime(),
				fulfilledAt: nullable(dateTime()),
				deliveredAt: nullable(dateTime()),
				source: { type: 'string', enum: ['api', 'import', 'demo'] },
				createdAt: dateTime(),
				updatedAt: dateTime()
			}
		},
		Conversation: {
			type: 'object',
			required: ['id', 'state', 'messages', 'actions', 'return'],
			properties: {
				id: str(undefined, { format: 'uuid' }),
				state: {
					type: 'string',
					enum: ['items', 'reason', 'fit', 'device', 'symptom', 'troubleshoot', 'photos', 'offers', 'product', 'method', 'summary', 'withdraw_confirm', 'submitted', 'prevented', 'refused', 'handoff', 'cancelled', 'withdrawn']
				},
				messages: {
					type: 'array',
					items: { type: 'object', required: ['role', 'text'], properties: { role: { type: 'string', enum: ['assistant', 'customer'] }, text: str() } }
				},
				actions: {
					type: 'array',
					description: 'What the customer can do now; empty once the conversation is finished.',
					items: {
						type: 'object',
						required: ['id', 'label', 'kind'],
						properties: {
							id: str(),
							label: str(),
							kind: { type: 'string', enum: ['choice', 'items', 'size', 'text', 'photo', 'confirm', 'refund', 'withdraw', 'handoff', 'cancel'] },
							options: {
								type: 'array',
								items: { type: 'object', required: ['id', 'label'], properties: { id: str(), label: str(), max: { type: 'integer', minimum: 1 } } }
							}
						}
					}
				},
				return: nullable({
					type: 'object',
					required: ['rma', 'status', 'resolution', 'quote'],
					properties: {
						rma: str('R-XXXX-XXXX'),
						status: str('The return\'s decision status.'),
						resolution: nullable({ type: 'string', enum: ['fix', 'exchange_variant', 'exchange_product', 'store_credit', 'refund'] }),
						quote: quoteSchema
					}
				}),
				quote: {
					...quoteSchema,
					description: 'At `summary` and `withdraw_confirm`: what confirming will create, by the policy. Send its `total` back as `values.expectedTotal` with `confirm` to be refused rather than charged another amount.'
				}
			}
		},
		CreditBalance: {
			type: 'object',
			required: ['code', 'currency', 'balance', 'expiresAt'],
			properties: {
				code: str('The code in its stored form, e.g. `ABCD-EFGH-JKLM`.'),
				currency: str(undefined, { pattern: '^[A-Z]{3}$' }),
				balance: { type: 'integer', minimum: 0, description: 'What the code can pay now, in integer minor units; 0 once spent or past `expiresAt`.' },
				expiresAt: nullable(dateTime('After this moment the code pays nothing; null: it does not expire.'))
			}
		},
		Redemption: {
			type: 'object',
			required: ['id', 'code', 'amount', 'currency', 'balance'],
			properties: {
				id: { type: 'integer', description: 'The redemption\'s id: the same for every replay of its Idempotency-Key.' },
				code: str(),
				amount: { type: 'integer', minimum: 1, description: 'What was spent, in integer minor units.' },
				currency: str(undefined, { pattern: '^[A-Z]{3}$' }),
				balance: { type: 'integer', minimum: 0, description: 'What was left on the code just after this redemption (a replay answers the same number).' }
			}
		},
		OrderResponse: {
			type: 'object',
			required: ['order', 'returnLink'],
			properties: {
				order: ref('Order'),
				returnLink: str('The order\'s signed return link, to put in the order email: `<origin>/r/<token>`.', { format: 'uri' })
			}
		}
	};
}

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ref('Error') } } });
const jsonBody = (schema: string) => ({ 'application/json': { schema: ref(schema) } });
const externalIdParam = (what: string) => ({
	name: 'externalId',
	in: 'path',
	required: true,
	description: `The ${what}'s id in the shop's own system (URL-encoded).`,
	schema: { type: 'string', minLength: 1, maxLength: 255 }
});

const creditCodeParam = {
	name: 'code',
	in: 'path',
	required: true,
	description: 'The store credit code as the customer gave it: case, spaces and dashes do not matter (`abcd efgh jkLM` finds `ABCD-EFGH-JKLM`).',
	schema: { type: 'string', minLength: 12, maxLength: 64 }
};

export function openApiDocument(origin = ''): Json {
	return {
		openapi: '3.1.0',
		info: {
			title: 'Retour shop API',
			version: '1.0.0',
			description:
				'How a shop sends Retour its catalogue and orders. Authenticate with a shop API key (created by an owner or admin ' +
				'under Admin → API keys) as `Authorization: Bearer rtr_live_…`.\n\n' +
				'Money is always `{ "amount": <integer minor units>, "currency": "EUR" }`. Every request is one transaction: it is ' +
				'applied whole or not at all. Bad input gets 400 (`invalid_json`) or 422 (`validation_failed`) with every bad ' +
				'field named by its JSON path.',
			license: { name: 'AGPL-3.0-or-later', identifier: 'AGPL-3.0-or-later' }
		},
		servers: [{ url: `${origin.replace(/\/+$/, '')}/api/v1`, description: 'This Retour installation' }],
		security: [{ bearerAuth: [] }],
		tags: [
			{ name: 'catalogue', description: 'Products, variants and stock' },
			{ name: 'orders', description: 'Orders and their return links' },
			{ name: 'conversations', description: 'The customer\'s return conversation, authenticated by the return link\'s token' },
			{ name: 'credits', description: 'Store credit codes given for returns: read a balance, spend it at checkout' }
		],
		paths: {
			'/products/{externalId}': {
				parameters: [externalIdParam('product')],
				get: {
					tags: ['catalogue'],
					operationId: 'getProduct',
					summary: 'Read a product',
					responses: {
						'200': { description: 'The product.', content: jsonBody('Product') },
						'401': { $ref: '#/components/responses/Unauthorized' },
						'404': { $ref: '#/components/responses/NotFound' }
					}
				},
				put: {
					tags: ['catalogue'],
					operationId: 'upsertProduct',
					summary: 'Create or replace a product',
					description:
						'Idempotent. Replaces the product, its options, variants, attributes, images and size chart. Variants left out are ' +
						'deleted, unless an order refers to them (422). A variant without `inventoryQuantity` keeps its stored stock.',
					requestBody: { required: true, content: jsonBody('ProductInput') },
					responses: {
						'200': { description: 'Updated.', content: jsonBody('Product') },
						'201': { description: 'Created.', content: jsonBody('Product') },
						'400': { $ref: '#/components/responses/InvalidJson' },
						'401': { $ref: '#/components/responses/Unauthorized' },
						'422': { $ref: '#/components/responses/ValidationFailed' }
					}
				}
			},
			'/inventory': {
				put: {
					tags: ['catalogue'],
					operationId: 'setInventory',
					summary: 'Set stock levels by SKU',
					description: 'Absolute levels, all or nothing: an unknown SKU fails the request with 422 naming `items[i].sku`.',
					requestBody: { required: true, content: jsonBody('InventoryInput') },
					responses: {
						'200': { description: 'The levels now stored.', content: jsonBody('InventoryResult') },
						'400': { $ref: '#/components/responses/InvalidJson' },
						'401': { $ref: '#/components/responses/Unauthorized' },
						'422': { $ref: '#/components/responses/ValidationFailed' }
					}
				}
			},
			'/orders': {
				post: {
					tags: ['orders'],
					operationId: 'ingestOrder',
					summary: 'Send an order',
					description:
						'Idempotent on `externalId`: a resend updates the stored order (dates, address, payment ids, amounts, lines matched ' +
						'by their externalId) and never creates a second one, even when two requests race. Lines are matched to catalogue ' +
						'variants by variantExternalId or sku. VAT not given is computed per line, rounded half-up: ' +
						'total × rate / (100 + rate) when taxes are included, total × rate / 100 otherwise. The response carries the ' +
						'order\'s return link.',
					requestBody: { required: true, content: jsonBody('OrderInput') },
					responses: {
						'200': { description: 'The order existed and was updated.', content: jsonBody('OrderResponse') },
						'201': { description: 'Created.', content: jsonBody('OrderResponse') },
						'400': { $ref: '#/components/responses/InvalidJson' },
						'401': { $ref: '#/components/responses/Unauthorized' },
						'409': { $ref: '#/components/responses/Conflict' },
						'422': { $ref: '#/components/responses/ValidationFailed' }
					}
				}
			},
			'/orders/{externalId}': {
				parameters: [externalIdParam('order')],
				get: {
					tags: ['orders'],
					operationId: 'getOrder',
					summary: 'Read an order and its return link',
					responses: {
						'200': { description: 'The order.', content: jsonBody('OrderResponse') },
						'401': { $ref: '#/components/responses/Unauthorized' },
						'404': { $ref: '#/components/responses/NotFound' }
					}
				}
			},
			'/conversations': {
				post: {
					tags: ['conversations'],
					operationId: 'openConversation',
					summary: 'Open the return conversation of an order',
					description: 'For the customer\'s side (a shop\'s app, tests): the return link\'s token opens its order. Answers the open conversation (200) or a new one (201).',
					security: [{ returnLink: [] }],
					responses: {
						'200': { description: 'The conversation already open for this order.', content: jsonBody('Conversation') },
						'201': { description: 'A new conversation.', content: jsonBody('Conversation') },
						'401': { $ref: '#/components/responses/Unauthorized' }
					}
				}
			},
			'/conversations/{id}': {
				parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
				get: {
					tags: ['conversations'],
					operationId: 'getConversation',
					summary: 'The conversation as it stands (resume it, or see its return)',
					security: [{ returnLink: [] }],
					responses: {
						'200': { description: 'The conversation.', content: jsonBody('Conversation') },
						'401': { $ref: '#/components/responses/Unauthorized' },
						'404': { $ref: '#/components/responses/NotFound' }
					}
				}
			},
			'/conversations/{id}/replies': {
				parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
				post: {
					tags: ['conversations'],
					operationId: 'replyToConversation',
					summary: 'Answer the conversation',
					description:
						'An action on offer with its values, or free text. Confirming creates the return exactly once; `state` becomes ' +
						'`submitted` and `return` carries its RMA, status, resolution and quote.',
					security: [{ returnLink: [] }],
					requestBody: { required: true, content: jsonBody('ConversationReply') },
					responses: {
						'200': { description: 'The conversation after the reply.', content: jsonBody('Conversation') },
						'400': { $ref: '#/components/responses/InvalidJson' },
						'401': { $ref: '#/components/responses/Unauthorized' },
						'404': { $ref: '#/components/responses/NotFound' },
						'409': errorResponse('The conversation is finished, or the policy refuses what was confirmed (`conflict`).'),
						'422': errorResponse('An action not on offer (`fields[0].path` = `actionId`) or bad values (`values`) (`validation_failed`).')
					}
				}
			},
			'/conversations/{id}/photos': {
				parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
				post: {
					tags: ['conversations'],
					operationId: 'uploadConversationPhoto',
					summary: 'Send a photo (damage, a wrong item)',
					description:
						'One picture in the multipart field `photo`. Its type is read from its content (JPEG, PNG, WebP or HEIC), at most 10 MB, ' +
						'at most 6 per conversation; it is kept in the database and never served from a guessable URL. Then answer the `photo` ' +
						'action with `{ "photoIds": [id, …] }`.',
					security: [{ returnLink: [] }],
					requestBody: {
						required: true,
						content: { 'multipart/form-data': { schema: { type: 'object', required: ['photo'], properties: { photo: { type: 'string', format: 'binary' } } } } }
					},
					responses: {
						'201': {
							description: 'Stored.',
							content: {
								'application/json': {
									schema: {
										type: 'object',
										required: ['id', 'contentType', 'byteSize'],
										properties: {
											id: { type: 'string', format: 'uuid' },
											contentType: { type: 'string', enum: ['image/jpeg', 'image/png', 'image/webp', 'image/heic'] },
											byteSize: { type: 'integer' }
										}
									}
								}
							}
						},
						'400': errorResponse('Not multipart/form-data (`validation_failed`).'),
						'401': { $ref: '#/components/responses/Unauthorized' },
						'404': { $ref: '#/components/responses/NotFound' },
						'409': errorResponse('The conversation is finished, or already has 6 photos (`conflict`).'),
						'413': errorResponse('Larger than 10 MB (`payload_too_large`).'),
						'422': errorResponse('No file, an empty one, or not a picture by its content (`validation_failed`).')
					}
				}
			},
			'/credits/{code}': {
				parameters: [creditCodeParam],
				get: {
					tags: ['credits'],
					operationId: 'getCreditBalance',
					summary: 'Read what a store credit code can pay',
					responses: {
						'200': { description: 'The code\'s balance.', content: jsonBody('CreditBalance') },
						'401': { $ref: '#/components/responses/Unauthorized' },
						'404': errorResponse('This shop gave no such code (`credit_not_found`).')
					}
				}
			},
			'/credits/{code}/redemptions': {
				parameters: [creditCodeParam],
				post: {
					tags: ['credits'],
					operationId: 'redeemCredit',
					summary: 'Spend from a store credit code',
					description:
						'Spends `amount` (integer minor units, in the code\'s currency) from the code, never below zero: two redemptions at ' +
						'once that together exceed the balance get one 201 and one 422.\n\n' +
						'Idempotent: the `Idempotency-Key` header is required (the key is only read from the header, not the body). ' +
						'Sending the same key again with the same amount and currency (the reference is not compared) spends nothing more ' +
						'and answers 200 with the first result and `Idempotent-Replayed: true`, even after the code is spent or expired; ' +
						'the same key with another amount or currency is refused (409 `idempotency_conflict`). A refused request stores ' +
						'nothing, so its key stays free. Keys are per code and never expire: use your order id, or a new UUID per spend.',
					parameters: [
						{
							name: 'Idempotency-Key',
							in: 'header',
							required: true,
							description: 'Your key for this spend (1–255 characters): the same key spends once.',
							schema: { type: 'string', minLength: 1, maxLength: 255 }
						}
					],
					requestBody: { required: true, content: jsonBody('RedemptionInput') },
					responses: {
						'200': {
							description: 'A replay of this Idempotency-Key: the first redemption, nothing spent again.',
							headers: { 'Idempotent-Replayed': { description: 'Always `true` on a replay.', schema: { type: 'string', enum: ['true'] } } },
							content: jsonBody('Redemption')
						},
						'201': { description: 'Spent.', content: jsonBody('Redemption') },
						'400': errorResponse('The body is empty or not JSON (`invalid_json`), or the Idempotency-Key header is missing or longer than 255 characters (`invalid_idempotency_key`).'),
						'401': { $ref: '#/components/responses/Unauthorized' },
						'404': errorResponse('This shop gave no such code (`credit_not_found`).'),
						'409': errorResponse('This Idempotency-Key already spent another amount or currency from this code (`idempotency_conflict`).'),
						'422': errorResponse(
							'A bad field (`validation_failed`, every field named); more than the balance, the message saying what is left ' +
								'(`insufficient_balance`); a code past its date (`credit_expired`); another currency than the code\'s (`currency_mismatch`).'
						)
					}
				}
			},
			'/openapi.json': {
				get: {
					operationId: 'getOpenApi',
					summary: 'This document',
					security: [],
					responses: { '200': { description: 'The OpenAPI 3.1 document.', content: { 'application/json': { schema: { type: 'object' } } } } }
				}
			}
		},
		components: {
			securitySchemes: {
				bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'rtr_live_<32 base32 characters>' },
				returnLink: { type: 'http', scheme: 'bearer', description: 'The return link\'s token: the last part of `<origin>/r/<token>`.' }
			},
			responses: {
				Unauthorized: errorResponse('No API key, or one that is unknown or revoked (`unauthorized`).'),
				InvalidJson: errorResponse('The body is empty or not JSON (`invalid_json`).'),
				ValidationFailed: errorResponse('The body breaks a rule; `fields` names every bad field (`validation_failed`).'),
				NotFound: errorResponse('Nothing with that externalId in this shop (`not_found`).'),
				Conflict: errorResponse('The change clashes with stored returns, e.g. a resend drops a line that has a return (`conflict`).')
			},
			schemas: { ...requestSchemas(), ...responseSchemas() }
		}
	};
}
