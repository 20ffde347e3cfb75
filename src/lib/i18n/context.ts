import { createContext } from 'svelte';
import type { Translate } from './index';

/** The current translator, set by the root layout and read by every component below it. */
export const [getTranslate, setTranslate] = createContext<() => Translate>();
