import Anthropic from '@anthropic-ai/sdk';
import type { ContentBlockParam, Message as ClaudeMessage, MessageParam, ToolResultBlockParam, ToolUseBlock } from '@anthropic-ai/sdk/resources/messages';
import { actions, ConversationError, reply, type ConversationContext, type ConversationState } from '../engine';
import { describeActions, describeItems, systemBlocks, TOOL, TOOLS, turnMessages } from './prompt';

/**
 * The optional Claude path of the conversation: Claude reads the customer's free text and writes the answer,
 * but acts only through tools that are the engine's own actions. Every change of state is an engine `reply()`,
 * validated against the actions on offer and the policy (`context.decide`), so nothing Claude is told or says
 * can make an action or an amount the engine would not. Any failure answers null: the caller falls back to
 * the deterministic engine.
 */

export interface ClaudeConfig {
	apiKey: string;
	model: string;
	baseURL?: string;
	/** default 8000 */
	timeoutMs?: number;
}

export const DEFAULT_MODEL = 'claude-sonnet-4-5';
const DEFAULT_TIMEOUT_MS = 8000;
/** Tool rounds per turn: enough for list → classify → act → act, bounded so a looping model stops. */
const MAX_ROUNDS = 6;
const MAX_TOKENS = 1024;

/** From environment variables ANTHROPIC_API_KEY, ANTHROPIC_MODEL (default: 'claude-sonnet-4-5'), ANTHROPIC_BASE_URL; null without a key (blank counts as unset). */
export function claudeConfigFrom(env: Record<string, string | undefined>): ClaudeConfig | null {
	const apiKey = env.ANTHROPIC_API_KEY?.trim();
	if (!apiKey) return null;
	const baseURL = env.ANTHROPIC_BASE_URL?.trim();
	return { apiKey, model: env.ANTHROPIC_MODEL?.trim() || DEFAULT_MODEL, ...(baseURL ? { baseURL } : {}) };
}

const clients = new Map<string, Anthropic>();

/** One client per key and base URL, kept: its connection pool is reused across turns. */
function clientFor(config: ClaudeConfig): Anthropic {
	const key = JSON.stringify([config.apiKey, config.baseURL ?? null]);
	let client = clients.get(key);
	if (!client) {
		// baseURL null (not undefined): the config decides, not ANTHROPIC_BASE_URL read again by the SDK. No retries: the deadline is short.
		client = new Anthropic({ apiKey: config.apiKey, baseURL: config.baseURL ?? null, maxRetries: 0 });
		clients.set(key, client);
	}
	return client;
}

/**
 * One customer turn of free text, understood and answered by Claude. Returns the next state — reached only through
 * engine `reply()` calls (the tools), with the customer's text recorded once in the transcript, `interactions` = previous + 1,
 * and Claude's final wording as the assistant's message of this turn in place of the engine's own wording —
 * or null when the caller must fall back to the deterministic engine (API error, timeout, nothing valid done, unsafe wording).
 */
export async function claudeReply(config: ClaudeConfig, context: ConversationContext, state: ConversationState, text: string): Promise<ConversationState | null> {
	// A finished conversation offers nothing: the engine answers it (with its 'finished' error).
	if (!text.trim() || actions(context, state).length === 0) return null;
	const client = clientFor(config);
	const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	// One deadline for the whole turn, every round included.
	const deadline = new AbortController();
	const timer = setTimeout(() => deadline.abort(), timeoutMs);
	const turn = new Turn(context, state);
	try {
		const messages: MessageParam[] = turnMessages(context, state, text);
		let finalText: string | null = null;
		for (let round = 0; round < MAX_ROUNDS; round++) {
			const message: ClaudeMessage = await client.messages
				.stream({ model: config.model, max_tokens: MAX_TOKENS, system: systemBlocks(), tools: TOOLS, messages }, { signal: deadline.signal, timeout: timeoutMs })
				.finalMessage();
			const uses = message.content.filter((b): b is ToolUseBlock => b.type === 'tool_use');
			if (message.stop_reason !== 'tool_use' || uses.length === 0) {
				// Text cut short (max_tokens) or a refusal is not an answer to show.
				if (message.stop_reason === 'end_turn' || message.stop_reason === 'stop_sequence') finalText = textOf(message);
				break;
			}
			messages.push({ role: 'assistant', content: asParams(message) });
			messages.push({ role: 'user', content: uses.map((use) => turn.run(use)) });
		}
		return turn.result(text, finalText);
	} catch {
		// API errors (500, 429, 529, in-stream errors), the deadline, a policy error in context.decide: the engine answers instead.
		return null;
	} finally {
		clearTimeout(timer);
	}
}

/** The state of one Claude turn: where the engine is now, and what it said along the way. */
class Turn {
	current: ConversationState;
	/** The engine's own assistant messages of this turn, in order: the fallback wording. */
	readonly engineSaid: string[] = [];

	constructor(
		readonly context: ConversationContext,
		readonly start: ConversationState
	) {
		this.current = start;
	}

	get acted(): boolean {
		return this.current !== this.start;
	}

	run(use: ToolUseBlock): ToolResultBlockParam {
		const ok = (content: unknown): ToolResultBlockParam => ({ type: 'tool_result', tool_use_id: use.id, content: JSON.stringify(content) });
		const error = (message: string): ToolResultBlockParam => ({ type: 'tool_result', tool_use_id: use.id, content: message, is_error: true });
		const input = use.input;
		if (!isObject(input)) return error('The input must be a JSON object.');
		switch (use.name) {
			case TOOL.listItems:
				return ok(describeItems(this.context, this.current));
			case TOOL.showActions:
				return ok({ step: this.current.step, actions: describeActions(this.context, this.current) });
			case TOOL.classifyReason: {
				if (typeof input.text !== 'string' || !input.text.trim()) return error('"text" must be a non-empty string: the customer\'s words.');
				const understood = this.context.classify(input.text.slice(0, 2000));
				const label = (code: string) => this.context.reasons.find((r) => r.code === code)?.label ?? code;
				return ok({
					reason: understood.reason,
					label: label(understood.reason),
					confidence: understood.confidence,
					confident: understood.confidence >= this.context.confidenceThreshold && this.context.reasons.some((r) => r.code === understood.reason),
					ranking: understood.ranking.slice(0, 5).map((r) => ({ reason: r.reason, label: label(r.reason), probability: r.probability }))
				});
			}
			case TOOL.takeAction: {
				if (typeof input.actionId !== 'string' || !input.actionId) return error('"actionId" must be the id (a string) of one of the actions on offer.');
				const values = input.values;
				if (values !== undefined && !isObject(values)) return error('"values", when given, must be a JSON object.');
				// Money moves on what the customer saw: a return is confirmed (or a withdrawal) only from the summary the
				// customer was shown before this turn, never in the same breath as the choices that lead to it.
				if ((input.actionId === 'confirm' || input.actionId === 'withdraw_confirm') && this.current.step !== this.start.step) {
					return error('The customer must first see the summary of this return: show it, and let them confirm.');
				}
				let next: ConversationState;
				try {
					next = reply(this.context, this.current, { actionId: input.actionId, values });
				} catch (e) {
					if (e instanceof ConversationError) return error(e.message);
					throw e;
				}
				const said = next.transcript.slice(this.current.transcript.length).filter((m) => m.role === 'assistant').map((m) => m.text);
				this.engineSaid.push(...said);
				this.current = next;
				return ok({ step: next.step, said, actions: describeActions(this.context, next) });
			}
			default:
				return error(`There is no tool "${use.name}".`);
		}
	}

	/** The state after the turn, or null when there is nothing to show the customer. */
	result(text: string, finalText: string | null): ConversationState | null {
		const { context, start, current } = this;
		// Amounts Claude may state: those the policy offered, in the actions before and after, in the offers for the
		// chosen items (at the summary, no action shows them), and in the engine's own words.
		const allowed = [...labels(context, start), ...labels(context, current), ...offered(context, start), ...offered(context, current), ...this.engineSaid];
		const safe = finalText && unsafeAmounts(finalText, allowed).length === 0 ? finalText : null;
		if (!this.acted && !safe) return null;
		const said = safe ? [safe] : this.engineSaid;
		// The problem in the customer's own words, as the engine keeps typed text: not Claude's paraphrase, nor a question.
		const described = current.reason !== start.reason || current.comment !== start.comment;
		return {
			...current,
			...(described ? { comment: start.comment ? `${start.comment}\n${text}` : text } : {}),
			interactions: start.interactions + 1,
			// Offers first shown during this turn were shown at this turn's interaction (each reply() counted one).
			offersShownAt: current.offersShownAt !== start.offersShownAt ? start.interactions + 1 : current.offersShownAt,
			// The engine's "heard" messages (button labels) are dropped: the customer said only their text.
			transcript: [...start.transcript, { role: 'customer', text }, ...said.map((t) => ({ role: 'assistant' as const, text: t }))]
		};
	}
}

function labels(context: ConversationContext, state: ConversationState): string[] {
	return actions(context, state).flatMap((a) => [a.label, ...(a.options ?? []).map((o) => o.label)]);
}

/** The policy's offers for the chosen items and reason, once there are offers. */
function offered(context: ConversationContext, state: ConversationState): string[] {
	if (!state.reason || !state.items.length || !['offers', 'method', 'summary'].includes(state.step)) return [];
	return context.decide(state.items, state.reason).offers.map((o) => o.label);
}

function textOf(message: ClaudeMessage): string | null {
	const text = message.content
		.flatMap((b) => (b.type === 'text' ? [b.text] : []))
		.join('')
		.trim();
	return text || null;
}

/** The response as it goes back in the next request: text and tool calls only, no empty text block (the API refuses them). */
function asParams(message: ClaudeMessage): ContentBlockParam[] {
	return message.content.flatMap((b): ContentBlockParam[] => {
		if (b.type === 'text') return b.text ? [{ type: 'text', text: b.text }] : [];
		if (b.type === 'tool_use') return [{ type: 'tool_use', id: b.id, name: b.name, input: b.input ?? {} }];
		return [];
	});
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const CURRENCY_BEFORE = String.raw`(?:[A-Z]{0,2}[€$£¥₹₩₽₺₪₫₱₦₴]|\b(?:EUR|USD|GBP|CHF|CAD|AUD|NZD|JPY|SEK|NOK|DKK|PLN|CZK|HUF|RON|BGN)(?![a-z]))`;
const CURRENCY_AFTER = String.raw`(?:[€$£¥₹₩₽₺₪₫₱₦₴](?:[A-Z]{1,2}\b)?|(?:EUR|USD|GBP|CHF|CAD|AUD|NZD|JPY|SEK|NOK|DKK|PLN|CZK|HUF|RON|BGN|euros?|dollars?|pounds?|livres?)\b)`;
// Digits with thousands groups (1,234 · 1.234 · 1 234 with any space) and up to three decimals.
const NUMBER = String.raw`\d{1,3}(?:[ \u00a0\u202f.,'’]\d{3})+(?:[.,]\d{1,3})?|\d+(?:[.,]\d{1,3})?`;
const SPACE = String.raw`[ \u00a0\u202f]?`;
const MONEY = new RegExp(`${CURRENCY_BEFORE}${SPACE}(${NUMBER})|(${NUMBER})${SPACE}${CURRENCY_AFTER}`, 'giu');

/** "1 234,50" → "1234.50", "€1,234" → "1234.00", "12,5" → "12.50": one spelling per amount, whatever the locale. */
function normalizeAmount(digits: string): string {
	const compact = digits.replace(/[ \u00a0\u202f'’]/g, '');
	const last = Math.max(compact.lastIndexOf('.'), compact.lastIndexOf(','));
	// A separator followed by exactly three digits groups thousands; one or two digits are decimals.
	const decimals = last >= 0 && compact.length - last - 1 < 3 ? compact.slice(last + 1) : '';
	const whole = (decimals ? compact.slice(0, last) : compact).replace(/[.,]/g, '').replace(/^0+(?=\d)/, '');
	return `${whole}.${decimals.padEnd(2, '0')}`;
}

/** The money amounts a text states, normalized ("€97.89" and "97,89 €" are both "97.89"). */
export function moneyAmounts(text: string): string[] {
	return [...text.matchAll(MONEY)].map((m) => normalizeAmount(m[1] ?? m[2]));
}

/**
 * The money amounts `text` states that none of the `allowed` texts (the actions' labels, the engine's words) states:
 * a wording that names them promises money the policy did not offer. Compared by value, whatever the spelling.
 */
export function unsafeAmounts(text: string, allowed: readonly string[]): string[] {
	const offered = new Set(allowed.flatMap(moneyAmounts));
	return [...text.matchAll(MONEY)].filter((m) => !offered.has(normalizeAmount(m[1] ?? m[2]))).map((m) => m[0].trim());
}
