import type { SupabaseClient } from '@supabase/supabase-js';
import type { Actor } from '$lib/server/actor';
import type { AuthPort, AuthSession } from '$lib/server/auth/port';
import type { Runtime } from '$lib/server/runtime';

declare global {
  namespace App {
    interface Error {
      code?: string;
    }
    interface Locals {
      runtime: Runtime;
      auth: AuthPort;
      supabase?: SupabaseClient;
      /** The verified session of this request (bearer token first, then the cookie), or null. */
      safeGetSession(): Promise<AuthSession | null>;
      /** Keeps a new session for the next requests of this browser (embedded: an httpOnly cookie; Supabase: @supabase/ssr's cookies). */
      startSession(session: AuthSession): void;
      /** Ends this browser's session: on the embedded back ends it stops working everywhere; on Supabase this device is signed out. */
      endSession(): Promise<void>;
      /** The caller of this request with the database it goes through. */
      actor(): Promise<Actor>;
      /** A stable id of this browser or app install, for limits that must not count a whole NAT. */
      deviceId: string;
      /** The interface language: the user's choice, else the browser's (event pages may follow the event). */
      locale: import('$lib/domain').Language;
    }
  }
}

export {};
