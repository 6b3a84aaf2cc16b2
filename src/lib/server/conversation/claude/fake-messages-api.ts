import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for Anthropic's Messages API, for tests: `POST /v1/messages` answers the next scripted
 * response — a message (text and tool_use blocks) as plain JSON, or as server-sent events when the request
 * asks for `"stream": true` — or a scripted HTTP error in Anthropic's error shape, optionally after a delay.
 * Every request is recorded (body and headers) so tests can assert on what the client sent.
 */

export type FakeBlock =
	| { type: 'text'; text: string }
	/** `input` left out: a tool call without input, as a misbehaving model might send. */
	| { type: 'tool_use'; name: string; input?: unknown; id?: string };

export type FakeScript =
	| { type: 'message'; content: FakeBlock[]; stopReason?: 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence' | 'refusal'; delayMs?: number }
	/** An HTTP error; `inStream` instead sends it as an `error` event inside a 200 event stream, as the API does when overloaded mid-stream. */
	| { type: 'error'; status: number; errorType?: string; message?: string; delayMs?: number; inStream?: boolean };

export interface RecordedRequest {
	method: string;
	url: string;
	headers: IncomingHttpHeaders;
	/** The parsed JSON body (null when it was not JSON). */
	body: Record<string, unknown> | null;
	/** How it was answered: the script's index, or -1 when nothing was left to answer. */
	answeredWith: number;
	/** As JSON, as server-sent events, or as an HTTP error (set when the answer starts). */
	answeredAs?: 'json' | 'sse' | 'error';
}

export interface FakeMessagesApi {
	/** The base URL to give the SDK, e.g. http://127.0.0.1:54321 */
	url: string;
	requests: RecordedRequest[];
	/** Appends responses to the script. */
	push(...responses: FakeScript[]): void;
	close(): Promise<void>;
}

/** A text answer that ends the turn. */
export const textReply = (text: string, delayMs?: number): FakeScript => ({ type: 'message', content: [{ type: 'text', text }], stopReason: 'end_turn', delayMs });

/** One or more tool calls (optionally after some text), ending the response with `stop_reason: tool_use`. */
export function toolCalls(calls: { name: string; input?: unknown; id?: string }[], text?: string): FakeScript {
	return {
		type: 'message',
		content: [...(text ? [{ type: 'text' as const, text }] : []), ...calls.map((c) => ({ type: 'tool_use' as const, ...c }))],
		stopReason: 'tool_use'
	};
}

export const toolCall = (name: string, input?: unknown, id?: string): FakeScript => toolCalls([{ name, input, id }]);

const ERROR_TYPES: Record<number, string> = {
	400: 'invalid_request_error',
	401: 'authentication_error',
	403: 'permission_error',
	404: 'not_found_error',
	413: 'request_too_large',
	429: 'rate_limit_error',
	500: 'api_error',
	529: 'overloaded_error'
};

export const httpError = (status: number, message?: string, delayMs?: number): FakeScript => ({ type: 'error', status, message, delayMs });

function errorBody(status: number, errorType?: string, message?: string) {
	return { type: 'error', error: { type: errorType ?? ERROR_TYPES[status] ?? 'api_error', message: message ?? `Fake error ${status}` }, request_id: `req_fake_${status}` };
}

export async function startFakeMessagesApi(script: FakeScript[] = []): Promise<FakeMessagesApi> {
	const queue = [...script];
	let answered = 0;
	let toolIds = 0;
	const requests: RecordedRequest[] = [];

	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			let body: Record<string, unknown> | null = null;
			try {
				body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
			} catch {
				body = null;
			}
			const record: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, answeredWith: -1 };
			requests.push(record);

			const fail = (status: number, message: string) => {
				record.answeredAs = 'error';
				sendJson(res, status, errorBody(status, undefined, message));
			};
			const path = (req.url ?? '').split('?')[0];
			if (req.method !== 'POST' || path !== '/v1/messages') return fail(404, `No route ${req.method} ${path}`);
			const bearer = /^Bearer\s+\S+/i.test(String(req.headers.authorization ?? ''));
			if (!req.headers['x-api-key'] && !bearer) return fail(401, 'x-api-key or authorization header is required');
			if (!body) return fail(400, 'The body is not JSON');

			const next = queue.shift();
			if (!next) return fail(500, 'Fake Messages API: no scripted response left');
			record.answeredWith = answered++;
			const stream = body.stream === true;
			const model = typeof body.model === 'string' ? body.model : 'claude-fake';

			const answer = () => {
				if (next.type === 'error') {
					if (next.inStream && stream) {
						record.answeredAs = 'sse';
						startEvents(res);
						event(res, 'message_start', { type: 'message_start', message: messageShell(model) });
						event(res, 'error', errorBody(next.status, next.errorType, next.message));
						return res.end();
					}
					record.answeredAs = 'error';
					return sendJson(res, next.status, errorBody(next.status, next.errorType, next.message), next.status === 429 ? { 'retry-after': '1' } : {});
				}
				const content = next.content.map((b) =>
					b.type === 'text' ? { type: 'text', text: b.text, citations: null } : { type: 'tool_use', id: b.id ?? `toolu_fake_${++toolIds}`, name: b.name, input: b.input, caller: { type: 'direct' } }
				);
				const stopReason = next.stopReason ?? (next.content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn');
				record.answeredAs = stream ? 'sse' : 'json';
				if (!stream) return sendJson(res, 200, { ...messageShell(model), content, stop_reason: stopReason, usage: usage(10) });
				startEvents(res);
				event(res, 'message_start', { type: 'message_start', message: messageShell(model) });
				event(res, 'ping', { type: 'ping' });
				content.forEach((block, index) => {
					if (block.type === 'text') {
						event(res, 'content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
						for (const piece of pieces(block.text as string)) event(res, 'content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } });
					} else {
						const { input, ...start } = block;
						// Without input, the block starts without one and no delta follows.
						event(res, 'content_block_start', { type: 'content_block_start', index, content_block: input === undefined ? start : { ...start, input: {} } });
						if (input !== undefined) {
							for (const piece of pieces(JSON.stringify(input))) event(res, 'content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: piece } });
						}
					}
					event(res, 'content_block_stop', { type: 'content_block_stop', index });
				});
				event(res, 'message_delta', { type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: 10 } });
				event(res, 'message_stop', { type: 'message_stop' });
				res.end();
			};

			if (!next.delayMs) return answer();
			const timer = setTimeout(answer, next.delayMs);
			// The client gave up (a timeout): answer nothing.
			res.on('close', () => clearTimeout(timer));
		});
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		push: (...responses) => void queue.push(...responses),
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
}

let messageIds = 0;

function messageShell(model: string) {
	return {
		id: `msg_fake_${++messageIds}`,
		type: 'message',
		role: 'assistant',
		model,
		content: [],
		stop_reason: null,
		stop_sequence: null,
		stop_details: null,
		container: null,
		diagnostics: null,
		usage: usage(1)
	};
}

function usage(outputTokens: number) {
	return { input_tokens: 25, output_tokens: outputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
}

/** Splits a string in a few pieces, as the API streams text and tool input in chunks. */
function pieces(text: string): string[] {
	if (text.length < 4) return [text];
	const size = Math.ceil(text.length / 3);
	const out: string[] = [];
	for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
	return out;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
	const text = JSON.stringify(body);
	res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'request-id': `req_fake_${status}`, ...headers });
	res.end(text);
}

function startEvents(res: ServerResponse) {
	res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
}

function event(res: ServerResponse, name: string, data: unknown) {
	res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
}
