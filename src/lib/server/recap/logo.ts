/**
 * The logo on the recap's cover. An upload is trusted for nothing: it must start as a PNG or a JPEG,
 * decode as one, and is stored re-encoded (pixels only: no metadata, no trailing data, no other
 * chunks), within a byte and a pixel limit.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { userError } from '../../errors';
import type { Actor } from '../actor';

export const logoLimit = { bytes: 512 * 1024, pixels: 2048 };
export const logoLimitText = '512 KB';

export interface Logo {
  contentType: 'image/png' | 'image/jpeg';
  /** Base64. */
  data: string;
  width: number;
  height: number;
}

const pngMagic = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const jpegMagic = Buffer.from([0xff, 0xd8, 0xff]);

const notAnImage = () => userError(400, 'invalid_input', 'refusal.logoType');

/** The upload as a clean image, or a 400 that says why not. */
export function sanitiseLogo(bytes: Buffer): Logo {
  if (bytes.length > logoLimit.bytes) throw userError(413, 'too_large', 'refusal.logoSize', { size: logoLimitText });
  let logo: Logo;
  try {
    if (bytes.subarray(0, 8).equals(pngMagic)) {
      const image = PNG.sync.read(bytes);
      checkSize(image.width, image.height);
      const clean = new PNG({ width: image.width, height: image.height });
      image.data.copy(clean.data);
      logo = { contentType: 'image/png', data: PNG.sync.write(clean).toString('base64'), width: image.width, height: image.height };
    } else if (bytes.subarray(0, 3).equals(jpegMagic)) {
      const image = jpeg.decode(bytes, { useTArray: true, maxResolutionInMP: 5, maxMemoryUsageInMB: 64 });
      checkSize(image.width, image.height);
      const clean = jpeg.encode({ data: image.data, width: image.width, height: image.height }, 88);
      logo = { contentType: 'image/jpeg', data: Buffer.from(clean.data).toString('base64'), width: image.width, height: image.height };
    } else {
      throw notAnImage();
    }
  } catch (error) {
    if (error && typeof error === 'object' && 'messageKey' in error) throw error;
    throw notAnImage();
  }
  if (Buffer.byteLength(logo.data, 'base64') > logoLimit.bytes) throw userError(413, 'too_large', 'refusal.logoSize', { size: logoLimitText });
  return logo;
}

function checkSize(width: number, height: number) {
  if (!width || !height || width > logoLimit.pixels || height > logoLimit.pixels) throw notAnImage();
}

export async function saveLogo(actor: Actor, eventId: string, bytes: Buffer): Promise<void> {
  const logo = sanitiseLogo(bytes);
  await actor.db.rpc('set_event_logo', { p_event_id: eventId, p_content_type: logo.contentType, p_data: logo.data, p_width: logo.width, p_height: logo.height }, actor.caller);
}

export async function removeLogo(actor: Actor, eventId: string): Promise<void> {
  await actor.db.rpc('set_event_logo', { p_event_id: eventId, p_content_type: null, p_data: null, p_width: null, p_height: null }, actor.caller);
}

export interface RecapCover {
  title: string;
  /** The title as a file name (private.title_slug). */
  titleSlug: string;
  date: string | null;
  venue: string | null;
  language: 'nl' | 'en';
  organisers: string[];
  logo: Logo | null;
}

/** The cover of an event's recap (organisers). */
export function getRecapCover(actor: Actor, eventId: string): Promise<RecapCover> {
  return actor.db.rpc<RecapCover>('get_recap_cover', { p_event_id: eventId }, actor.caller);
}

export async function getLogo(actor: Actor, eventId: string): Promise<Logo | null> {
  return (await getRecapCover(actor, eventId)).logo;
}
