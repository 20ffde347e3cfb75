import type { JwtClaims } from '../db/types';

export interface AuthSession {
  accessToken: string;
  claims: JwtClaims;
  /** Seconds since the epoch. */
  expiresAt: number;
  /** Exchanged for a new session before `expiresAt` (Supabase: access tokens last an hour). */
  refreshToken?: string;
}

/** What the app needs from an identity provider; Supabase Auth or the embedded one. */
export interface AuthPort {
  signInWithPassword(email: string, password: string): Promise<AuthSession | null>;
  /** A participant: an account with no credentials, like Supabase's anonymous sign-in. */
  signInAnonymously(): Promise<AuthSession>;
  /** The claims of a valid access token, or null for an expired, forged, unknown or signed-out one. */
  verify(accessToken: string): Promise<JwtClaims | null>;
  /** Ends the session this token belongs to, so the token stops working everywhere. */
  signOut(accessToken: string): Promise<void>;
  /** A new session for a refresh token, or null; absent where tokens last long enough not to need one. */
  refresh?(refreshToken: string): Promise<AuthSession | null>;
  /** Creates an organiser account (first start, or the setup page). */
  createOrganiser(email: string, password: string, name: string): Promise<void>;
  /** Whether any organiser account exists yet (the embedded setup page is offered until one does). */
  hasOrganiser(): Promise<boolean>;
}
