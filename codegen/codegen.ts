// GraphQL Code Generator: typed documents and result types for the web client, from the committed SDL and
// the operations in frontend/src/graphql (one operation per file), and the trusted documents manifest
// (persisted-documents.json) of those operations. Run from frontend/: `npm run codegen`.
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CodegenConfig } from '@graphql-codegen/cli';

const here = dirname(fileURLToPath(import.meta.url));
const frontend = join(here, '..', 'frontend');
const sdlPath = join(here, 'schema.graphql');

const rel = (p: string) => relative(process.cwd(), p) || '.';
const out = process.env.CODEGEN_OUT ?? join(frontend, 'src', 'gql');

const config: CodegenConfig = {
  schema: rel(sdlPath),
  documents: [rel(join(frontend, 'src', 'graphql')) + '/**/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    [rel(out) + '/']: {
      preset: 'client',
      presetConfig: {
        fragmentMasking: false,
        // Trusted documents: each operation carries its SHA-256 (`__meta__.hash`, "sha256:<hex>") and
        // persisted-documents.json maps every hash to the exact text the server runs for it. The server builds
        // that manifest in (api/src/routes/persisted.rs), so the client sends hashes only.
        persistedDocuments: { mode: 'embedHashInDocument', hashAlgorithm: 'sha256' },
      },
      config: {
        documentMode: 'string',
        // Only what the operations use: SDL changes elsewhere do not make the generated code stale.
        onlyOperationTypes: true,
        useTypeImports: true,
        enumsAsTypes: true,
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
        skipTypename: false,
        scalars: { DateTime: 'string', ID: 'string', Upload: 'File' },
      },
    },
  },
  hooks: {},
  silent: true,
};

export default config;
