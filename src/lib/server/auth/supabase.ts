import type { SupabaseClient } from '@supabase/supabase-js';
import { AppError, userError } from '../../errors';
import type { JwtClaims } from '../db/types';
import type { AuthPort, AuthSession } from './port';
import { sessionOf } from './supabase-request';

/** Supabase Auth: e-mail sign-in for organisers, anonymous sign-in for participants. */
export class SupabaseAuth implements AuthPort {
  constructor(
    private readonly publicClient: () => SupabaseClient,
    private readonly adminClient: () => SupabaseClient
  ) {}

  private toSession(session: {
    access_token: string;
    refresh_token?: string;
    expires_at?: number;
    user: { id: string; email?: string; is_anonymous?: boolean };
  }): AuthSession {
    return {
      accessToken: session.access_token,
      refreshToken: session.refresh_token,
      expiresAt: session.expires_at ?? Math.floor(Date.now() / 1000) + 3600,
      claims: {
        sub: session.user.id,
        role: 'authenticated',
        aud: 'authenticated',
        is_anonymous: session.user.is_anonymous ?? false,
        ...(session.user.email ? { email: session.user.email } : {})
      }
    };
  }

  async signInWithPassword(email: string, password: string): Promise<AuthSession | null> {
    const { data, error } = await this.publicClient().auth.signInWithPassword({ email, password });
    if (error || !data.session) return null;
    return this.toSession(data.session);
  }

  async signInAnonymously(): Promise<AuthSession> {
    const { data, error } = await this.publicClient().auth.signInAnonymously();
    if (error || !data.session) {
      const status = error?.status === 429 ? 429 : 503;
      throw userError(status, status === 429 ? 'rate_limited' : 'unavailable', 'refusal.joinUnavailable');
    }
    return this.toSession(data.session);
  }

  async verify(accessToken: string): Promise<JwtClaims | null> {
    // getClaims checks the signature against the project's published keys (cached), without asking
    // Auth each time; a signed-out session stays valid until its token expires, within the hour.
    const { data } = await this.publicClient().auth.getClaims(accessToken);
    return data ? (sessionOf(accessToken, data.claims)?.claims ?? null) : null;
  }

  async refresh(refreshToken: string): Promise<AuthSession | null> {
    const { data, error } = await this.publicClient().auth.refreshSession({ refresh_token: refreshToken });
    return error || !data.session ? null : this.toSession(data.session);
  }

  async signOut(accessToken: string): Promise<void> {
    // Ends this session only (the organiser's other devices stay signed in); its refresh token stops
    // working at once, its access token when it expires (getClaims does not ask Auth).
    await this.publicClient().auth.admin.signOut(accessToken, 'local');
  }

  /** Creates the account in Supabase Auth (unless it exists) and grants it the organiser role. */
  async createOrganiser(email: string, password: string, name: string): Promise<void> {
    const { error } = await this.adminClient().auth.admin.createUser({ email, password, email_confirm: true, user_metadata: { name } });
    if (error && !/already/i.test(error.message)) throw new AppError(502, 'unavailable', `Supabase refused the account: ${error.message}`);
    const { error: grantError } = await this.adminClient().rpc('server_grant_organiser', { p_email: email });
    if (grantError) throw new AppError(502, 'unavailable', `Supabase refused the organiser grant: ${grantError.message}`);
  }

  async hasOrganiser(): Promise<boolean> {
    // Supabase projects manage their accounts in Supabase Auth; the embedded setup page never applies.
    return true;
  }
}
