import { error, fail } from '@sveltejs/kit';
import { isAppError } from '$lib/errors';
import { translator } from '$lib/i18n';
import { formAction, guardActions, readFields, refusalMessage } from '$lib/server/forms/action';
import { draftRecapVersion, proseWriter } from '$lib/server/recap/drafting';
import { glossaryText, loadGlossary, saveGlossary } from '$lib/server/recap/glossary';
import { recapHtml } from '$lib/server/recap/render-html';
import { sectionsOf } from '$lib/server/recap/sections';
import { getEventRecap, listRecaps, publishRecap, recapAsShown, unpublishRecap, updateRecap } from '$lib/server/recap/versions';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ parent, locals, params, url }) => {
  const { role, locale } = await parent();
  if (role !== 'organiser') error(403, 'Only organisers edit the recap.');
  const actor = await locals.actor();
  const [versions, glossary] = await Promise.all([listRecaps(actor, params.eventId), loadGlossary(actor, params.eventId)]);
  // The version asked for in the address, or the newest; anything else in the address is not found.
  const chosen = url.searchParams.get('version') ?? versions[0]?.id;
  const recap = chosen
    ? await getEventRecap(actor, params.eventId, chosen).catch((e) => {
        if (isAppError(e)) error(404, translator(locale)('recap.versionNotFound'));
        throw e;
      })
    : null;
  return {
    versions,
    recap,
    html: recap ? recapHtml(recap.markdown) : '',
    sections: recap ? [...sectionsOf(recap.markdown).keys()].filter((k) => !k.endsWith('-heading')) : [],
    published: versions.find((v) => v.status === 'published') ?? null,
    glossary: glossaryText(glossary.terms),
    origin: locals.runtime.config.publicUrl ?? url.origin
  };
};

export const actions: Actions = guardActions({
  draft: async (event) => {
    const { locals, params } = event;
    const form = await readFields(event);
    try {
      const result = await draftRecapVersion(await locals.actor(), params.eventId, form, proseWriter(locals.runtime.config.llm));
      return { fallback: result.fallback ?? null, recapId: result.recapId };
    } catch (e) {
      if (isAppError(e)) return fail(e.status, { error: await refusalMessage(event, e) });
      throw e;
    }
  },
  glossary: async (event) => {
    const { locals, params } = event;
    const terms = String((await readFields(event)).terms ?? '');
    try {
      await saveGlossary(await locals.actor(), params.eventId, { terms });
      return { glossarySaved: true };
    } catch (e) {
      // The organiser's text comes back with the message, so nothing typed is lost.
      if (isAppError(e)) return fail(e.status, { glossaryError: await refusalMessage(event, e), terms });
      throw e;
    }
  },
  /** The text in the editor as the next version of the version it was opened from. */
  save: formAction((actor, input) => updateRecap(actor, input)),
  /** Publishes exactly the text in the editor: the version on screen, or its edit saved first. */
  publish: formAction(async (actor, input) => publishRecap(actor, { recapId: (await recapAsShown(actor, input)).id })),
  unpublish: formAction((actor, input) => unpublishRecap(actor, input))
});
