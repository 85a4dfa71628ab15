import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  HttpCode,
  HttpStatus,
  NestInterceptor,
  Type,
  UseInterceptors,
} from '@nestjs/common';
import { ApiCreatedResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, Observable } from 'rxjs';
import { API_PREFIX } from './http-app';

/** Where a created resource lives, from the answer and the request's path parameters (a path under /api/v1). */
export type LocationOf<T> = (created: T, params: Record<string, string>) => string;

class LocationInterceptor<T> implements NestInterceptor<T, T> {
  constructor(private readonly location: LocationOf<T>) {}

  intercept(context: ExecutionContext, next: CallHandler<T>): Observable<T> {
    const http = context.switchToHttp();
    const params = http.getRequest<FastifyRequest<{ Params: Record<string, string> }>>().params;
    const reply = http.getResponse<FastifyReply>();
    return next.handle().pipe(
      map((created) => {
        reply.header('location', `/${API_PREFIX}${this.location(created, params)}`);
        return created;
      }),
    );
  }
}

/**
 * A POST that creates something: 201, the created resource (with its id) in the body, and its URL in
 * `Location`, documented in OpenAPI; so a client never has to search a parent for what it just made.
 */
export function Created<T>(type: Type<T>, location: LocationOf<T>): MethodDecorator {
  return applyDecorators(
    HttpCode(HttpStatus.CREATED),
    ApiCreatedResponse({
      type,
      headers: {
        Location: {
          description: 'The URL of the created resource',
          schema: { type: 'string', example: '/api/v1/campaigns/0b7e6d4c-2a19-4f8b-8c3d-5e6f7a8b9c0d' },
        },
      },
    }),
    UseInterceptors(new LocationInterceptor(location)),
  );
}
