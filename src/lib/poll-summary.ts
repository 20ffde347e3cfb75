import type { MessageKey, Translate } from './i18n';
import type { PreparedPoll } from './types';

/** A prepared poll in one line: its kind, its moment, its question (and a multiple-choice poll's options). */
export function pollSummary(poll: Pick<PreparedPoll, 'kind' | 'phase' | 'question' | 'options'>, t: Translate): string {
  const question = poll.kind === 'choice' ? `${poll.question} (${poll.options.join(' / ')})` : poll.question;
  const phase = poll.phase ? t(poll.phase === 'before' ? 'poll.before' : 'poll.after') : null;
  return [t(`pollKind.${poll.kind}` as MessageKey), phase, question].filter(Boolean).join(' · ');
}
