import type { Cookies } from '@sveltejs/kit';
import type { AuthPort, AuthSession } from './port';

export const sessionCookie = 'kd_session';
export const deviceCookie = 'kd_device';

/** A device id as a phone's page keeps it (the server makes one where there is none). */
export const isDeviceId = (value: string | null | undefined): value is string => !!value && /^[\w-]{8,64}$/.test(value);

/** What the edge checks read of a request: its method and headers (a Fetch `Request`, or Node's request through `nodeHeaders`). */
export interface RequestHead {
  method: string;
  headers: { get(name: string): string | null };
}

export function bearerToken(request: Pick<RequestHead, 'headers'>): string | null {
  const header = request.headers.get('authorization');
  const match = header && /^Bearer\s+(\S+)$/i.exec(header);
  return match ? match[1] : null;
}

/** The session a bearer token or the session cookie carries, once the auth provider accepts it. */
export async function verifiedSession(auth: AuthPort, token: string | null | undefined): Promise<AuthSession | null> {
  if (!token) return null;
  const claims = await auth.verify(token);
  return claims ? { accessToken: token, claims, expiresAt: claims.exp ?? 0 } : null;
}

export function setSessionCookie(cookies: Cookies, session: AuthSession, secure: boolean) {
  cookies.set(sessionCookie, session.accessToken, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    maxAge: Math.max(60, session.expiresAt - Math.floor(Date.now() / 1000))
  });
}
