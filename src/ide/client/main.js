/**
 * The browser side of the GraphQL IDE: GraphiQL 5 (Monaco editors, docs
 * explorer, history) on React 19, bundled by src/ide/bundle.ts with esbuild
 * from the project's own node_modules. Plain JavaScript so that the
 * service's TypeScript build needs no DOM or JSX settings.
 */
import './workers.js';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import 'graphiql/style.css';
import { ideConfig } from './config.js';

// POSTs with Content-Type application/json: Apollo's CSRF prevention lets them through.
const fetcher = createGraphiQLFetcher({ url: new URL(ideConfig.endpoint, window.location.href).toString() });

const props = {
  fetcher,
  // Headers (the demo's bearer token) are not written to localStorage.
  shouldPersistHeaders: false,
};
if (ideConfig.initialQuery) {
  props.initialQuery = ideConfig.initialQuery;
  props.defaultQuery = ideConfig.initialQuery;
}
if (ideConfig.initialHeaders) {
  props.initialHeaders = ideConfig.initialHeaders;
  // New tabs start with the same headers.
  props.defaultHeaders = ideConfig.initialHeaders;
  props.defaultEditorToolsVisibility = 'headers';
}

const container = document.getElementById('graphiql');
container.textContent = '';
createRoot(container).render(createElement(GraphiQL, props));
