/** The API package: the Hono app factory and its configuration. */
export { type ApiDeps, type ApiEnv, createApp } from './app.ts';
export { type ApiConfig, loadApiConfig } from './config/api-config.ts';
