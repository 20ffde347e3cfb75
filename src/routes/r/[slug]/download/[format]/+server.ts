import { error } from '@sveltejs/kit';
import { anonCaller } from '$lib/server/db/types';
import { guardLoad } from '$lib/server/forms/action';
import { exportRecap } from '$lib/server/recap/exports';
import type { RecapCover } from '$lib/server/recap/logo';
import { getPublishedRecap } from '$lib/server/recap/versions';
import type { RequestHandler } from './$types';

/** The published recap as a PDF or a Word document, for anyone with the public address. */
export const GET: RequestHandler = guardLoad(async (event) => {
  const { params, locals } = event;
  if (params.format !== 'pdf' && params.format !== 'docx') error(404);
  // Only a published version is found here; an unpublished one is not, for anyone.
  const recap = await getPublishedRecap(locals.runtime.db, params.slug);
  const cover = await locals.runtime.db.rpc<RecapCover>('get_published_recap_cover', { p_slug: params.slug }, anonCaller);
  const file = await exportRecap(recap.markdown, params.format, { title: recap.title, titleSlug: cover.titleSlug, language: recap.language, cover });
  return new Response(new Uint8Array(file.body as Buffer), {
    headers: { 'content-type': file.contentType, 'content-disposition': `attachment; filename="${file.filename}"`, 'cache-control': 'no-store' }
  });
});
