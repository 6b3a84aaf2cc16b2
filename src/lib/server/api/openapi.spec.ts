import { describe, expect, it } from 'vitest';
import { openApiDocument } from './openapi';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Every $ref in the document, with where it was found. */
function refs(node: unknown, at = '#'): [string, string][] {
	if (Array.isArray(node)) return node.flatMap((n, i) => refs(n, `${at}/${i}`));
	if (!node || typeof node !== 'object') return [];
	return Object.entries(node).flatMap(([k, v]) => (k === '$ref' ? [[v as string, at] as [string, string]] : refs(v, `${at}/${k}`)));
}

function resolve(doc: Json, pointer: string): unknown {
	return pointer
		.replace(/^#\//, '')
		.split('/')
		.reduce<unknown>((node, key) => (node as Json | undefined)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
}

describe('openApiDocument', () => {
	const doc = JSON.parse(JSON.stringify(openApiDocument('https://returns.example.com'))) as Json;

	it('is an OpenAPI 3.1 document that survives a JSON round trip', () => {
		expect(doc.openapi).toBe('3.1.0');
		expect(doc.info.title).toBeTruthy();
		expect(doc.servers[0].url).toBe('https://returns.example.com/api/v1');
	});

	it('describes every route of the API with its methods, relative to the /api/v1 server', () => {
		const ops = Object.entries(doc.paths as Json).flatMap(([path, item]) =>
			Object.keys(item).filter((k) => ['get', 'put', 'post', 'delete', 'patch'].includes(k)).map((m) => `${m.toUpperCase()} ${path}`)
		);
		expect(ops.sort()).toEqual(
			[
				'GET /products/{externalId}',
				'PUT /products/{externalId}',
				'PUT /inventory',
				'POST /orders',
				'GET /orders/{externalId}',
				'GET /openapi.json',
				'POST /conversations',
				'GET /conversations/{id}',
				'POST /conversations/{id}/replies',
				'POST /conversations/{id}/photos',
				'GET /credits/{code}',
				'POST /credits/{code}/redemptions'
			].sort()
		);
	});

	it('declares bearer auth, and errors for every operation that needs them', () => {
		expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
		expect(doc.security).toEqual([{ bearerAuth: [] }]);
		for (const [path, item] of Object.entries(doc.paths as Json)) {
			for (const [method, op] of Object.entries(item as Json)) {
				if (method === 'parameters') continue;
				if (path.endsWith('openapi.json')) {
					expect(op.security).toEqual([]);
					continue;
				}
				expect(op.responses['401'], `${method} ${path}`).toBeDefined();
				if (path.startsWith('/conversations')) expect(op.security, `${method} ${path}`).toEqual([{ returnLink: [] }]);
				// Every operation that takes a body (opening a conversation takes none).
				if (method === 'put' || (method === 'post' && path !== '/conversations')) {
					expect(op.responses['400'], `${method} ${path}`).toBeDefined();
					expect(op.responses['422'], `${method} ${path}`).toBeDefined();
					// JSON bodies are named schemas; a photo is multipart with a binary field.
					const [type, media] = Object.entries(op.requestBody.content as Json)[0] as [string, Json];
					if (type === 'multipart/form-data') expect(media.schema.properties.photo).toEqual({ type: 'string', format: 'binary' });
					else expect(media.schema.$ref).toMatch(/^#\/components\/schemas\//);
				}
			}
		}
		expect(doc.paths['/orders'].post.responses['409']).toBeDefined();
	});

	it('resolves every $ref', () => {
		const all = refs(doc);
		expect(all.length).toBeGreaterThan(20);
		for (const [ref, at] of all) expect(resolve(doc, ref), `${ref} at ${at}`).toBeDefined();
	});

	it('generates request schemas from the validators: money is integer minor units, fields are named as the API takes them', () => {
		const s = doc.components.schemas;
		expect(s.Money.properties.amount.type).toBe('integer');
		expect(s.Money.required).toEqual(['amount', 'currency']);
		expect(s.ProductInput.required).toEqual(['title', 'variants']);
		expect(Object.keys(s.ProductInput.properties)).toEqual(
			expect.arrayContaining(['title', 'options', 'attributes', 'sizeChart', 'images', 'variants', 'finalSale'])
		);
		expect(Object.keys(s.OrderInput.properties)).toEqual(
			expect.arrayContaining(['externalId', 'orderNumber', 'currency', 'customer', 'shippingAddress', 'lines', 'shipping', 'payment', 'orderedAt'])
		);
		expect(s.OrderLineInput.properties.vatRate.type).toBe('number');
		expect(s.OrderInput.properties.orderedAt).toMatchObject({ type: 'string', format: 'date-time' });
		expect(JSON.stringify(s)).not.toContain('"$schema"');
		expect(JSON.stringify(s)).not.toContain('__shared');
	});
});
