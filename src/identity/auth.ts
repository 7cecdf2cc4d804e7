// The auth hook: resolves `Authorization: Bearer <token>` to a Principal on every request, and
// guards that routes call to say who may use them.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors.ts';
import type { IdentityService } from './identity.service.ts';
import type { Principal, Role } from './roles.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** Installs the hook that fills `request.principal` (null when there is no valid token). */
export function installAuth(app: FastifyInstance, identity: IdentityService): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    const match = header?.match(/^Bearer\s+(\S+)$/i);
    request.principal = match?.[1] ? await identity.resolveToken(match[1]) : null;
  });
}

/** The caller, or 401 UNAUTHENTICATED. */
export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('UNAUTHENTICATED');
  return request.principal;
}

/** The caller if they hold one of `roles`, else 401/403. */
export function requireRole(request: FastifyRequest, roles: readonly Role[]): Principal {
  const principal = requirePrincipal(request);
  if (!principal.roles.some((r) => roles.includes(r))) throw new AppError('FORBIDDEN');
  return principal;
}
