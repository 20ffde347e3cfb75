import { error, fail } from '@sveltejs/kit';
import { isAppError, userError } from '$lib/errors';
import { translator } from '$lib/i18n';
import { formAction, guardActions, readFields, readForm, refusalMessage } from '$lib/server/forms/action';
import { draftRecapVersion, proseWriter } from '$lib/server/recap/drafting';
import { glossaryText, loadGlossary, saveGlossary } from '$lib/server/recap/glossary';
import { recapHtml } from '$lib/server/recap/render-html';
import { partHeading, splitParts, withEditedParts } from '$lib/server/recap/sections';
import { getEventRecap, getRecap, listRecaps, publishRecap, recapAsShown, unpublishRecap, updateRecap } from '$lib/server/recap/versions';
import { getLogo, logoLimitText, removeLogo, saveLogo } from '$lib/server/recap/logo';
import type { Actor } from '$lib/server/actor';
import type { Actions, PageServerLoad } from './$types';
import { publicOrigin } from '$lib/server/announce';

export const load: PageServerLoad = async ({ parent, locals, params, url }) => {
  const { role, locale, state } = await parent();
  if (role !== 'organiser') error(403, translator(locale)('refusal.onlyOrganisers'));
  const actor = await locals.actor();
  const [versions, glossary, logo] = await Promise.all([listRecaps(actor, params.eventId), loadGlossary(actor, params.eventId), getLogo(actor, params.eventId)]);
  // The version asked for in the address, or the newest; anything else in the address is not found.
  const chosen = url.searchParams.get('version') ?? versions[0]?.id;
  const recap = chosen
    ? await getEventRecap(actor, params.eventId, chosen).catch((e) => {
        if (isAppError(e)) error(404, translator(locale)('recap.versionNotFound'));
        throw e;
      })
    : null;
  const language = state.event.language;
  // The editor shows the document part by part; text between the drafted parts that is only blank stays as it is.
  const parts = recap
    ? splitParts(recap.markdown).flatMap((part, index) =>
        part.key === null && !part.body.trim() ? [] : [{ index, key: part.key, heading: partHeading(part.body), body: part.body, html: recapHtml(part.body, language) }]
      )
    : [];
  return {
    versions,
    recap,
    parts,
    published: versions.find((v) => v.status === 'published') ?? null,
    glossary: glossaryText(glossary.terms),
    logo: logo ? `data:${logo.contentType};base64,${logo.data}` : null,
    logoLimit: logoLimitText,
    origin: publicOrigin(locals.runtime, url)
  };
};

/** The editor's parts (`part-<n>` fields) put back into the version they were opened from. */
async function asDocument(actor: Actor, input: Record<string, unknown>) {
  const edits = new Map<number, string>();
  for (const [name, value] of Object.entries(input)) {
    const n = /^part-(\d{1,4})$/.exec(name);
    if (n && typeof value === 'string') edits.set(Number(n[1]), value);
  }
  if (typeof input.markdown === 'string' || !edits.size) return input;
  const base = await getRecap(actor, { recapId: input.recapId });
  return { ...input, markdown: withEditedParts(base.markdown, edits) };
}

export const actions: Actions = guardActions({
  draft: async (event) => {
    const { locals, params } = event;
    const form = await readFields(event);
    const result = await draftRecapVersion(await locals.actor(), params.eventId, form, proseWriter(locals.runtime.config.llm));
    return { fallback: result.fallback ?? null, recapId: result.recapId };
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
  save: formAction(async (actor, input) => updateRecap(actor, await asDocument(actor, input))),
  /** Publishes exactly the text in the editor: the version on screen, or its edit saved first. */
  publish: formAction(async (actor, input) => publishRecap(actor, { recapId: (await recapAsShown(actor, await asDocument(actor, input))).id })),
  unpublish: formAction((actor, input) => unpublishRecap(actor, input)),
  /** The cover's logo: an uploaded PNG or JPEG (checked and re-encoded), or none. */
  logo: async (event) => {
    const { locals, params } = event;
    try {
      const form = await readForm(event);
      const actor = await locals.actor();
      if (form.get('remove') === 'true') {
        await removeLogo(actor, params.eventId);
        return { logoRemoved: true };
      }
      const file = form.get('logo');
      if (!(file instanceof File) || file.size === 0) throw userError(400, 'invalid_input', 'refusal.logoType');
      await saveLogo(actor, params.eventId, Buffer.from(await file.arrayBuffer()));
      return { logoSaved: true };
    } catch (e) {
      if (isAppError(e)) return fail(e.status, { logoError: await refusalMessage(event, e) });
      throw e;
    }
  }
});
