import { createHash } from 'node:crypto';
import type { Queryable } from '../db';
import { inTransaction } from '../db/transaction';
import { MAX_PHOTOS } from './engine';

/**
 * Photos a customer sends in a conversation. The type is read from the bytes, never from the file name or the
 * declared type; the size is limited; the photo is stored in the database under a random id and served only
 * to whoever holds the return link.
 */

export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
export type PhotoType = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/heic';

export class PhotoError extends Error {
	constructor(
		readonly code: 'empty' | 'too_large' | 'unsupported_type' | 'too_many' | 'finished' | 'not_found',
		message: string
	) {
		super(message);
		this.name = 'PhotoError';
	}
}

const startsWith = (bytes: Uint8Array, signature: number[], at = 0) => signature.every((b, i) => bytes[at + i] === b);
const ascii = (bytes: Uint8Array, from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));

/** The image type the bytes really are, by their signature; null for anything else (a PDF renamed .jpg, a script…). */
export function sniffImage(bytes: Uint8Array): PhotoType | null {
	if (bytes.length < 12) return null;
	if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
	if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
	if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'image/webp';
	// ISO base media: "ftyp" then a HEIF brand (what phones save photos as).
	if (ascii(bytes, 4, 8) === 'ftyp' && ['heic', 'heix', 'heim', 'heis', 'mif1', 'msf1'].includes(ascii(bytes, 8, 12))) return 'image/heic';
	return null;
}

/** The photo's real type, or a PhotoError saying what is wrong with it. */
export function checkPhoto(bytes: Uint8Array): PhotoType {
	if (bytes.length === 0) throw new PhotoError('empty', 'The photo is empty: choose a picture file');
	if (bytes.length > MAX_PHOTO_BYTES) throw new PhotoError('too_large', `The photo is ${(bytes.length / 1048576).toFixed(1)} MB; the limit is ${MAX_PHOTO_BYTES / 1048576} MB`);
	const contentType = sniffImage(bytes);
	if (!contentType) throw new PhotoError('unsupported_type', 'This file is not a JPEG, PNG, WebP or HEIC picture');
	return contentType;
}

/** Checks and stores one photo for a conversation that is still open; answers its id. */
export async function savePhoto(sql: Queryable, input: { shopId: string; conversationId: string; bytes: Uint8Array; /** The order the caller's link opens. */ orderId?: string }): Promise<{ id: string; contentType: PhotoType; byteSize: number }> {
	const { bytes } = input;
	const contentType = checkPhoto(bytes);
	if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(input.conversationId)) throw new PhotoError('not_found', 'This conversation does not exist');
	// The count and the insert under the conversation's row lock: two uploads at once cannot pass the limit.
	return inTransaction(sql, async (tx) => {
		const [conversation] = await tx<{ step: string; photos: number }[]>`
			select c.step, (select count(*)::int from conversation_photos p where p.conversation_id = c.id) as photos
			from conversations c where c.shop_id = ${input.shopId} and c.id = ${input.conversationId}
				${input.orderId ? tx`and c.order_id = ${input.orderId}` : tx``} for update`;
		if (!conversation) throw new PhotoError('not_found', 'This conversation does not exist');
		if (['submitted', 'prevented', 'refused', 'handoff', 'cancelled', 'withdrawn'].includes(conversation.step)) {
			throw new PhotoError('finished', 'This conversation is finished: photos can no longer be added');
		}
		if (conversation.photos >= MAX_PHOTOS) throw new PhotoError('too_many', `At most ${MAX_PHOTOS} photos per return`);
		const id = await storePhoto(tx, input.shopId, input.conversationId, bytes, contentType);
		return { id, contentType, byteSize: bytes.length };
	});
}

/**
 * Stores a photo already checked (checkPhoto) under a conversation, with its digest. The caller decides whether
 * the conversation may take it: an open conversation (savePhoto), or a finished one answering staff.
 */
export async function storePhoto(tx: Queryable, shopId: string, conversationId: string, bytes: Uint8Array, contentType: string): Promise<string> {
	const sha256 = createHash('sha256').update(bytes).digest('hex');
	const [row] = await tx<{ id: string }[]>`
		insert into conversation_photos (shop_id, conversation_id, content_type, byte_size, sha256, bytes)
		values (${shopId}, ${conversationId}, ${contentType}, ${bytes.length}, ${sha256}, ${Buffer.from(bytes)})
		returning id`;
	return row.id;
}

export async function photoIdsOf(sql: Queryable, shopId: string, conversationId: string): Promise<string[]> {
	const rows = await sql<{ id: string }[]>`
		select id from conversation_photos where shop_id = ${shopId} and conversation_id = ${conversationId} order by created_at, id`;
	return rows.map((r) => r.id);
}

/** One photo's bytes, only for the order (and so the return link) its conversation belongs to. */
export async function readPhoto(sql: Queryable, shopId: string, orderId: string, photoId: string): Promise<{ contentType: PhotoType; bytes: Uint8Array } | null> {
	if (!/^[0-9a-f-]{36}$/i.test(photoId)) return null;
	const [row] = await sql<{ content_type: PhotoType; bytes: Uint8Array }[]>`
		select p.content_type, p.bytes from conversation_photos p join conversations c on c.id = p.conversation_id
		where p.shop_id = ${shopId} and c.order_id = ${orderId} and p.id = ${photoId}`;
	return row ? { contentType: row.content_type, bytes: row.bytes } : null;
}
