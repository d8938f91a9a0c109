// `virtual:examples`: the playground's Examples menu, taken at build time from the conformance corpus
// (the same texts every host is tested on) and examples/broken.json, so an example cannot drift from
// the tested documents. A name that no longer exists fails the build.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const PUBLISHED = [
  ['real-vscode', 'VS Code'],
  ['real-claude-code', 'Claude Code'],
  ['real-claude-ai-connectors', 'claude.ai connectors'],
  ['real-chatgpt', 'ChatGPT'],
  ['real-client-dev', 'client.dev'],
  ['real-zed', 'Zed'],
  ['real-goose', 'goose (repository copy)'],
  ['real-goose-live', 'goose (live)'],
  ['real-copilot-cli', 'GitHub Copilot CLI'],
  ['real-slack', 'Slack'],
  ['real-opencode', 'opencode'],
  ['real-chatgpt-connector', 'ChatGPT (per connector)'],
  ['real-mcpjam-june', 'MCPJam (June 2026)'],
  ['real-lfx-cli', 'LFX CLI'],
  ['real-rust-sdk-example', 'MCP Rust SDK example'],
  ['real-oneagent', 'OneAgent'],
  ['real-mcpc-no-client-id', 'mcpc (without client_id)'],
  ['real-mcp-spec-example', 'MCP specification example'],
];
const BROKEN = [
  ['mismatch-trailing-slash', 'client_id with a trailing slash'],
  ['client-secret-present', 'A client_secret in the document'],
  ['redirect-uri-wildcard-port-localhost', 'FastMCP wildcard port (localhost:*)'],
  ['cid-localhost-name', 'client_id on localhost'],
  ['json-trailing-comma-in-object', 'Trailing comma (not JSON)'],
];

const ID = 'virtual:examples';

export function examples(repo) {
  const files = [join(repo, 'tests/conformance/cases'), join(repo, 'examples/broken.json')];
  function load() {
    const dir = files[0];
    const cases = new Map();
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
      for (const c of JSON.parse(readFileSync(join(dir, f), 'utf8'))) cases.set(c.name, c);
    }
    const pick = (group) => ([name, label]) => {
      const c = cases.get(name);
      if (!c || typeof c.document !== 'string') throw new Error(`${ID}: no conformance case named ${name} with a text document`);
      return { id: name, label, group, url: c.url ?? null, profile: c.profile ?? 'mcp', strict: c.strict ?? false, text: c.document };
    };
    return [
      ...PUBLISHED.map(pick('Published documents')),
      {
        id: 'broken', label: 'Everything wrong (examples/broken.json)', group: 'Broken documents',
        url: 'https://app.example.com/oauth/client.json', profile: 'mcp', strict: false,
        text: readFileSync(files[1], 'utf8'),
      },
      ...BROKEN.map(pick('Broken documents')),
    ];
  }
  return {
    name: 'cimd-examples',
    resolveId: (id) => (id === ID ? `\0${ID}` : null),
    load(id) {
      if (id !== `\0${ID}`) return null;
      return `export default ${JSON.stringify(load())};`;
    },
  };
}
