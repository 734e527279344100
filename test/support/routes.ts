import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import { IS_PUBLIC } from '../../apps/api/src/auth/public.decorator';
import { REQUIRED_ROLES } from '../../apps/api/src/auth/roles.decorator';
import type { TestApi } from './api';
import type { TestRole } from './tokens';

export type WriteMethod = 'post' | 'put' | 'patch' | 'delete';

export interface WriteRoute {
  method: WriteMethod;
  /** as express routes it, e.g. /api/v1/issues/:id/triage */
  path: string;
  /** the roles @Roles declares (admin always may); undefined: any authenticated caller */
  roles?: TestRole[];
  isPublic: boolean;
  /** a handler parameter is @Body(): the route reads a JSON body, validated against its DTO */
  takesBody: boolean;
}

const WRITE_METHODS: Partial<Record<RequestMethod, WriteMethod>> = {
  [RequestMethod.POST]: 'post',
  [RequestMethod.PUT]: 'put',
  [RequestMethod.PATCH]: 'patch',
  [RequestMethod.DELETE]: 'delete',
};

const joinPath = (...parts: string[]) =>
  `/${parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/')}`;

/** The express router's write routes, each with what its controller declares: built from the app, not a list. */
export function writeRoutes(api: TestApi): WriteRoute[] {
  const declared = new Map<string, Omit<WriteRoute, 'path' | 'method'>>();
  const readsBody = (type: object, name: string) =>
    Object.keys((Reflect.getMetadata(ROUTE_ARGS_METADATA, type, name) ?? {}) as object).some((key) =>
      key.startsWith(`${RouteParamtypes.BODY}:`),
    );
  for (const module of api.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!type) continue;
      const classPaths = [Reflect.getMetadata(PATH_METADATA, type) as string | string[]].flat();
      for (const name of Object.getOwnPropertyNames(type.prototype)) {
        const handler = (type.prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function') continue;
        const method = WRITE_METHODS[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        if (!method || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const roles = (Reflect.getMetadata(REQUIRED_ROLES, handler) ?? Reflect.getMetadata(REQUIRED_ROLES, type)) as
          TestRole[] | undefined;
        const isPublic = Boolean(Reflect.getMetadata(IS_PUBLIC, handler) ?? Reflect.getMetadata(IS_PUBLIC, type));
        for (const classPath of classPaths)
          for (const path of [Reflect.getMetadata(PATH_METADATA, handler) as string | string[]].flat())
            declared.set(`${method} ${joinPath(classPath ?? '', path)}`, {
              roles,
              isPublic,
              takesBody: readsBody(type, name),
            });
      }
    }
  }
  const router = (
    api.app.getHttpAdapter().getInstance() as {
      router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
    }
  ).router;
  return router.stack.flatMap((layer) =>
    Object.keys(layer.route?.methods ?? {})
      .filter((m): m is WriteMethod => ['post', 'put', 'patch', 'delete'].includes(m))
      .map((method) => {
        const path = layer.route!.path;
        // routed under the global prefix (/api/v1) or, for the few excluded from it, as declared
        const key = [...declared.keys()].find((k) => {
          const [m, p] = k.split(' ');
          return m === method && (path === p || path === joinPath('api/v1', p));
        });
        if (!key) throw new Error(`no controller declares ${method.toUpperCase()} ${path}`);
        return { method, path, ...declared.get(key)! };
      }),
  );
}
