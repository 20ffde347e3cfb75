import type { PollKind } from './domain';

/**
 * The colours of the 5-point agree/disagree scale: diverging, from red (strongly disagree) through
 * grey (neutral) to blue (strongly agree), after ColorBrewer's RdBu, which stays apart for people with
 * any of the common colour-vision deficiencies. Each holds 3:1 against both the projector's dark
 * background and a white page (WCAG's contrast for graphics); the labels beside the bars are text in
 * the page's own colour. Every other kind of poll draws its bars in the brand colour.
 */
export const agreeScale = ['#c0272d', '#d6604d', '#878787', '#4393c3', '#2a6db5'] as const;
export const barColour = '#1f6f9f';

export function barColours(kind: PollKind | undefined, count: number): string[] {
  return kind === 'agree5' && count === agreeScale.length ? [...agreeScale] : Array.from({ length: count }, () => barColour);
}
