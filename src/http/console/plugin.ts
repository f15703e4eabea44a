import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { loadConsoleAssets, type ConsoleAsset } from './assets.js';

/**
 * The console's Content-Security-Policy: everything from Roster itself, nothing inline,
 * nothing from anywhere else (fonts and images are bundled), no framing.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function secure(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', CONSOLE_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    // The setup link's secret is in the fragment, which no Referer carries; no-referrer keeps
    // even the path to ourselves.
    .header('referrer-policy', 'no-referrer')
    .header('cross-origin-opener-policy', 'same-origin');
}

function send(request: FastifyRequest, reply: FastifyReply, asset: ConsoleAsset): FastifyReply {
  secure(reply)
    .header('etag', asset.etag)
    .header('cache-control', asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
    .type(asset.contentType);
  if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
  return reply.send(asset.body);
}

/**
 * Serves the admin console (web/, built by `npm run build`) at /admin. Every path under
 * /admin that is not a file is the single-page app's own route, so it gets index.html.
 */
export const consolePlugin: FastifyPluginAsync = (app) => {
  const assets = loadConsoleAssets();
  const handler = (request: FastifyRequest<{ Params: { '*'?: string } }>, reply: FastifyReply): FastifyReply => {
    if (assets === undefined) {
      return secure(reply).code(503).type('text/plain; charset=utf-8').send('The admin console has not been built: run `npm run build`.\n');
    }
    const path = request.params['*'] ?? '';
    const asset = assets.get(path);
    if (asset !== undefined) return send(request, reply, asset);
    // A missing hashed file is a real 404 (a stale page after an upgrade), not the app.
    if (path.startsWith('assets/')) return secure(reply).code(404).type('text/plain; charset=utf-8').send('Not found\n');
    const index = assets.get('index.html');
    return index === undefined ? reply.code(404).send() : send(request, reply, index);
  };
  app.get('/admin', handler);
  app.get('/admin/*', handler);
  return Promise.resolve();
};
