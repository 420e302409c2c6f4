import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** A route as Nest registered it, with the controller class and method its metadata lives on. */
export interface NestRoute {
  /** `POST /cases/:caseId/lead-assessment` */
  readonly key: string;
  readonly method: string;
  readonly path: string;
  readonly controller: Type<unknown>;
  /** The controller method (the object `@RequireRoles` metadata is set on). */
  readonly handler: object;
  readonly handlerName: string;
}

/** A route as Fastify serves it (Nest's, the OpenAPI plugin's, and Fastify's own HEAD routes). */
export interface ServedRoute {
  readonly method: string;
  readonly path: string;
}

/** Every route of every controller of the running app, read from Nest's routing metadata. */
export function nestRoutes(app: NestFastifyApplication): NestRoute[] {
  const scanner = new MetadataScanner();
  const routes: NestRoute[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type<unknown>;
      const prototype = controller.prototype as Record<string, object>;
      for (const controllerPath of paths(Reflect.getMetadata(PATH_METADATA, controller))) {
        for (const handlerName of scanner.getAllMethodNames(prototype)) {
          const handler = prototype[handlerName];
          const handlerPaths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
          if (handlerPaths === undefined) continue;
          const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
          for (const handlerPath of paths(handlerPaths)) {
            const path = `/${[controllerPath, handlerPath].map(trimSlashes).filter(Boolean).join('/')}`;
            routes.push({ key: `${method} ${path}`, method, path, controller, handler, handlerName });
          }
        }
      }
    }
  }
  return routes;
}

/**
 * Every route Fastify serves, parsed from `printRoutes({ commonPrefix: false })`: each line of that
 * tree is a path segment (appended to its parent's) and the methods served there, e.g.
 * `│   ├── /:caseId/actions (GET, HEAD)`.
 */
export function servedRoutes(app: NestFastifyApplication): ServedRoute[] {
  const tree = app.getHttpAdapter().getInstance().printRoutes({ commonPrefix: false });
  const parents: string[] = [];
  const routes: ServedRoute[] = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:[│ ] {3})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/u.exec(line);
    if (!match) {
      if (line.trim() !== '') throw new Error(`Cannot read this line of Fastify's route tree: ${JSON.stringify(line)}`);
      continue;
    }
    const depth = [...match[1]].length / 4;
    const path = `${depth === 0 ? '' : parents[depth - 1]}${match[2]}`;
    parents[depth] = path;
    parents.length = depth + 1;
    for (const method of match[3]?.split(', ') ?? []) routes.push({ method, path });
  }
  return routes;
}

function paths(value: unknown): string[] {
  if (value === undefined) return [''];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

function trimSlashes(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}
