import * as schemas from '../../schemas';
import { parseInput } from '../../validation';
import { draftRecapVersion, proseWriter } from '../recap/drafting';
import { exportRecap } from '../recap/exports';
import { loadGlossary, saveGlossary } from '../recap/glossary';
import { getRecapCover } from '../recap/logo';
import { getEventRecap, listRecaps, publishRecap, unpublishRecap, updateRecap } from '../recap/versions';
import type { Actor } from '../actor';
import type { Operation, OperationContext } from './operations';
import { publicOrigin } from '../announce';

/** The handler of an operation on one version of the path's recap: `act` runs once the version is found in the event. */
function onRecap(act: (actor: Actor, input: unknown, context: OperationContext) => Promise<unknown>): Operation['handle'] {
  return async (context) => {
    await getEventRecap(context.actor, context.params.eventId, context.params.recapId);
    return act(context.actor, context.input, context);
  };
}

/** The recap's operations: the event's glossary; draft, read, edit, publish, unpublish and export. */
export const recapOperations: Operation[] = [
  {
    id: 'getGlossary',
    method: 'GET',
    path: '/events/{eventId}/glossary',
    summary: 'The event’s abbreviations (organisers), which the drafts write out in full.',
    auth: 'user',
    handle: ({ actor, params }) => loadGlossary(actor, params.eventId)
  },
  {
    id: 'setGlossary',
    method: 'PUT',
    path: '/events/{eventId}/glossary',
    summary:
      'Replace the event’s abbreviations: `terms` as text, one “SM = sociale media” a line, or as a list of {term, expansion}. A refused list leaves the old one as it was.',
    body: schemas.glossarySchema,
    auth: 'user',
    handle: ({ actor, params, input }) => saveGlossary(actor, params.eventId, input)
  },
  {
    id: 'draftRecap',
    method: 'POST',
    path: '/events/{eventId}/recaps',
    summary:
      'Draft the recap from the day’s data and save it as a new version (engine builtin, the default, or llm). With recapId and section, only that section of that version is drafted again; the rest keeps its edits.',
    body: schemas.draftRecapSchema,
    auth: 'user',
    status: 201,
    handle: ({ actor, params, input, event }) => draftRecapVersion(actor, params.eventId, input, proseWriter(event.locals.runtime.config.llm))
  },
  {
    id: 'listRecaps',
    method: 'GET',
    path: '/events/{eventId}/recaps',
    summary: 'The recap’s versions, newest first.',
    auth: 'user',
    handle: ({ actor, params }) => listRecaps(actor, params.eventId)
  },
  {
    id: 'getRecap',
    method: 'GET',
    path: '/events/{eventId}/recaps/{recapId}',
    summary: 'One version of the recap, with its Markdown.',
    auth: 'user',
    handle: ({ actor, params }) => getEventRecap(actor, params.eventId, params.recapId)
  },
  {
    id: 'updateRecap',
    method: 'PUT',
    path: '/events/{eventId}/recaps/{recapId}',
    summary: 'Save edited Markdown as the next version.',
    body: schemas.updateRecapSchema,
    auth: 'user',
    handle: onRecap(updateRecap)
  },
  {
    id: 'publishRecap',
    method: 'POST',
    path: '/events/{eventId}/recaps/{recapId}/publish',
    summary: 'Publish this version at a public address (replacing an earlier published version there).',
    body: schemas.recapRefSchema,
    auth: 'user',
    handle: onRecap(async (actor, input, { event }) => {
      const recap = await publishRecap(actor, input);
      return { ...recap, url: `${publicOrigin(event.locals.runtime, event.url)}/r/${recap.slug}` };
    })
  },
  {
    id: 'unpublishRecap',
    method: 'POST',
    path: '/events/{eventId}/recaps/{recapId}/unpublish',
    summary: 'Take the recap off its public address.',
    body: schemas.recapRefSchema,
    auth: 'user',
    handle: onRecap(unpublishRecap)
  },
  {
    id: 'exportRecap',
    method: 'GET',
    path: '/events/{eventId}/recaps/{recapId}/export',
    summary: 'The recap as Markdown, HTML, PDF or DOCX, with its vote charts; the PDF and the DOCX open with a cover (title, date, venue, organisers, logo).',
    query: { format: { description: 'md, html, pdf or docx', enum: schemas.recapFormats } },
    auth: 'user',
    produces: 'file',
    async handle({ actor, params, input }) {
      const { format } = parseInput(schemas.exportRecapSchema, input);
      const recap = await getEventRecap(actor, params.eventId, params.recapId);
      const cover = await getRecapCover(actor, params.eventId);
      const file = await exportRecap(recap.markdown, format, { title: cover.title, titleSlug: cover.titleSlug, language: cover.language, cover });
      return new Response(typeof file.body === 'string' ? file.body : new Uint8Array(file.body), {
        headers: { 'content-type': file.contentType, 'content-disposition': `attachment; filename="${file.filename}"` }
      });
    }
  }
];
