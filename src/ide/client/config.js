/**
 * The page's settings, written by the server into
 * <script id="graphql-ide-config" type="application/json"> (src/ide/page.ts):
 * where GraphQL is answered, where this bundle's files are, and what the
 * editors start with. Read once, before Monaco asks for a worker.
 */
const element = document.getElementById('graphql-ide-config');

/** @type {{ endpoint: string, assetBase: string, initialQuery?: string, initialHeaders?: string }} */
export const ideConfig = JSON.parse(element ? element.textContent || '{}' : '{}');
