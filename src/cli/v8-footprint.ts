// Keeps V8's young generation at its starting size: a 1 Hz monitor allocates in short bursts, and letting the
// nursery grow to 32 MB bought no speed but cost ~30 MB of RSS (measured by `npm run bench -- side-by-side`).
import { setFlagsFromString } from 'node:v8';

// A runtime flag, so it applies however fragtop is started (bin/, the executable, `node dist/fragtop.js`);
// --max-semi-space-size would need the node command line.
setFlagsFromString('--semi-space-growth-factor=1');
