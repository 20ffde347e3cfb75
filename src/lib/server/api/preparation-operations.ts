import * as schemas from '../../schemas';
import { AppError } from '../../errors';
import { publicOrigin } from '../announce';
import * as account from '../account/account';
import * as events from '../events/events';
import * as polls from '../polls/polls';
import { joinPoster } from '../poster/poster';
import { exportResults } from '../results/results-csv';
import * as theses from '../theses/theses';
import { onItem, type Operation } from './operations';

/**
 * Preparing the day and running the room with it: theses with their authors, prepared polls, the
 * countdown, upvotes on the queue; the join poster and the results as files; the organiser's name.
 */
export const preparationOperations: Operation[] = [
  {
    id: 'addThesis',
    method: 'POST',
    path: '/events/{eventId}/queue',
    summary: 'Add a prepared thesis to the queue, with the name of who brings it (chair and organiser).',
    body: schemas.addThesisSchema,
    auth: 'user',
    status: 201,
    handle: ({ actor, params, input }) => theses.addThesis(actor, params.eventId, input)
  },
  {
    id: 'sortQueueByUpvotes',
    method: 'POST',
    path: '/events/{eventId}/queue/sort-by-upvotes',
    summary: 'Order the queue by upvotes, most first (chair and organiser).',
    auth: 'user',
    handle: ({ actor, params }) => theses.sortQueueByUpvotes(actor, params.eventId)
  },
  {
    id: 'updateThesis',
    method: 'PUT',
    path: '/events/{eventId}/theses/{thesisId}',
    summary: 'Change a thesis’s text and author (chair and organiser).',
    body: schemas.updateThesisSchema,
    auth: 'user',
    handle: onItem('thesis', theses.updateThesis)
  },
  {
    id: 'deleteThesis',
    method: 'DELETE',
    path: '/events/{eventId}/theses/{thesisId}',
    summary: 'Delete a prepared thesis; one with notes, votes, a discussion or merged theses is refused (409): reject it instead.',
    auth: 'user',
    handle: onItem('thesis', theses.deleteThesis)
  },
  {
    id: 'upvoteThesis',
    method: 'PUT',
    path: '/events/{eventId}/theses/{thesisId}/upvote',
    summary: 'Upvote a thesis in the queue (upvoted: true, the default) or take the upvote back (false); one per member, when the event allows upvotes.',
    body: schemas.upvoteSchema,
    auth: 'user',
    handle: onItem('thesis', theses.upvoteThesis)
  },
  {
    id: 'preparePoll',
    method: 'POST',
    path: '/events/{eventId}/polls/prepared',
    summary: 'Prepare a poll on a thesis or agenda item: a draft only the staff see until the chair opens it.',
    body: schemas.preparePollSchema,
    auth: 'user',
    status: 201,
    handle: ({ actor, params, input }) => polls.preparePoll(actor, params.eventId, input)
  },
  {
    id: 'openPreparedPoll',
    method: 'POST',
    path: '/events/{eventId}/polls/{pollId}/open',
    summary: 'Open a prepared poll. While another poll is open the answer is 409, unless closeOpen is true: then that poll closes first, keeping its votes.',
    body: schemas.openPreparedPollSchema,
    auth: 'user',
    handle: onItem('poll', polls.openPreparedPoll)
  },
  {
    id: 'deletePreparedPoll',
    method: 'DELETE',
    path: '/events/{eventId}/polls/{pollId}',
    summary: 'Delete a prepared poll that was never opened.',
    auth: 'user',
    handle: onItem('poll', polls.deletePreparedPoll)
  },
  {
    id: 'setCountdown',
    method: 'PUT',
    path: '/events/{eventId}/countdown',
    summary:
      'Count down for the open poll or for what is under way (for: poll or item; by default the open poll, else the item): seconds as a number, or text as minutes ("5") or minutes and seconds ("2:30"); 0 stops it. It ends with the poll or the item.',
    body: schemas.countdownSchema,
    auth: 'user',
    handle: async ({ actor, params, input }) => ({ countdown: await polls.setCountdown(actor, params.eventId, input) })
  },
  {
    id: 'exportResults',
    method: 'GET',
    path: '/events/{eventId}/results.csv',
    summary: 'Every poll’s results as CSV (one row per poll and option; UTF-8 with BOM, for spreadsheets). Organisers.',
    auth: 'user',
    produces: 'file',
    async handle({ actor, params }) {
      const file = await exportResults(actor, params.eventId);
      return new Response(file.body, {
        headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${file.filename}"` }
      });
    }
  },
  {
    id: 'joinPoster',
    method: 'GET',
    path: '/events/{eventId}/poster.pdf',
    summary: 'A printable A4 poster with the join QR code, the short address and the code (chair and organiser).',
    auth: 'user',
    produces: 'file',
    async handle({ actor, params, event }) {
      const state = await events.getEventState(actor, params.eventId);
      if (state.me?.role !== 'chair' && state.me?.role !== 'organiser') throw new AppError(403, 'forbidden', 'Only the chair or an organiser prints the poster.');
      const pdf = await joinPoster(state.event, publicOrigin(event.locals.runtime, event.url) + events.joinPath(state.event.code));
      return new Response(new Uint8Array(pdf), {
        headers: { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="${state.event.code}-poster.pdf"` }
      });
    }
  },
  {
    id: 'getAccount',
    method: 'GET',
    path: '/account',
    summary: 'The signed-in organiser’s account: the name others see, and the e-mail address.',
    auth: 'user',
    handle: ({ actor }) => account.getMyAccount(actor)
  },
  {
    id: 'setAccountName',
    method: 'PUT',
    path: '/account',
    summary: 'Set the organiser’s name, as shown in the events they run (and the ones they create after).',
    body: schemas.accountNameSchema,
    auth: 'user',
    handle: ({ actor, input }) => account.setMyName(actor, input)
  }
];
