// The CLI from source, for tests that run it as a child process (bin/newsdigest.js runs the same main from dist/).
import { main } from '../../src/main.js';

process.exitCode = await main(process.argv.slice(2));
