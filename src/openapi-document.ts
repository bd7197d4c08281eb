// The OpenAPI document of the whole app, from its own route table. Not part of the Worker:
// scripts/build-client.mjs bundles this file for Node at build time and writes static/openapi.json,
// which the Worker serves, so the generator (@valibot/to-json-schema) stays out of the bundle.
// It sits with the app on the top floor because it needs every area's routes.
import { createApp } from './app';
import { openApiDocument } from './areas/public/openapi';

export const document = openApiDocument(createApp().routes);
