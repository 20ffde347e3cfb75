import { error, fail } from '@sveltejs/kit';
import { isAppError } from '$lib/errors';
import { formAction, guardActions, readFields, refusalMessage } from '$lib/server/forms/action';
import { draftRecapVersion, proseWriter } from '$lib/server/recap/drafting';
import { recapHtml } from '$lib/server/recap/render-html';
import { sectionsOf } from '$lib/server/recap/sections';
import { getRecap, listRecaps, publishRecap, saveRecapVersion, unpublishRecap, updateRecap } from '$lib/server/recap/versions';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ parent, locals, params, url }) => {
  const { role } = await parent();
  if (role !== 'organiser') error(403, 'Only organisers edit the recap.');
  const actor = await locals.actor();
  const versions = await listRecaps(actor, params.eventId);
  const chosen = url.searchParams.get('version') ?? versions[0]?.id;
  const recap = chosen ? await getRecap(actor, { recapId: chosen }).catch(() => null) : null;
  return {
    versions,
    recap,
    html: recap ? recapHtml(recap.markdown) : '',
    sections: recap ? [...sectionsOf(recap.markdown).keys()].filter((k) => !k.endsWith('-heading')) : [],
    published: versions.find((v) => v.status === 'published') ?? null,
    origin: locals.runtime.config.publicUrl ?? url.origin
  };
};

export const actions: Actions = guardActions({
  draft: async (event) => {
    const { locals, params } = event;
    const form = await readFields(event);
    try {
      const result = await draftRecapVersion(await locals.actor(), params.eventId, form, proseWriter(locals.runtime.config.llm));
      return { warning: result.warning ?? null, recapId: result.recapId };
    } catch (e) {
      if (isAppError(e)) return fail(e.status, { error: await refusalMessage(event, e) });
      throw e;
    }
  },
  save: formAction(async (actor, input) =>
    input.recapId ? updateRecap(actor, input) : saveRecapVersion(actor, String(input.eventId), String(input.markdown ?? ''), 'manual')
  ),
  publish: formAction((actor, input) => publishRecap(actor, input)),
  unpublish: formAction((actor, input) => unpublishRecap(actor, input))
});
