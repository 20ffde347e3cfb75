import { recapCss, recapHtml } from '$lib/server/recap/render-html';
import { getPublishedRecap } from '$lib/server/recap/versions';
import { eventPageLocale } from '$lib/server/events/locale';
import { guardLoad } from '$lib/server/forms/action';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = guardLoad(async (page) => {
  const { params, locals, url } = page;
  const recap = await getPublishedRecap(locals.runtime.db, params.slug);
  const html = recapHtml(recap.markdown, recap.language);
  const description = html
    .replace(/<h1[\s\S]*?<\/h1>/, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
  return { css: recapCss, title: recap.title, language: recap.language, html, description, publishedAt: recap.publishedAt, url: url.href, slug: params.slug, locale: eventPageLocale(page, recap.language) };
});
