// `npm start`: until the Worker lands (issue 4), build the CLI and run it on the sample documents.
import { run } from './lib.mjs';

run('cargo', ['build', '--release', '-p', 'cimd-cli', '--locked']);
const cimd = 'target/release/cimd';
console.log('\n# A published document (VS Code), validated against the URL it is served at:');
run(cimd, ['validate', 'examples/vscode.json', '--url', 'https://vscode.dev/oauth/client-metadata.json'], { allowFail: true });
console.log('\n# A broken document:');
run(cimd, ['validate', 'examples/broken.json', '--url', 'https://app.example.com/oauth/client.json'], { allowFail: true });
console.log('\n# A new document, FastMCP-compatible:');
run(cimd, ['create', '--name', 'My App', '--redirect-uri', 'http://127.0.0.1/callback', '--client-id', 'https://app.example.com/oauth/client.json']);
console.log('\nMore: target/release/cimd --help');
