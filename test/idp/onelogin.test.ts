// OneLogin's provisioning sequence (idp-behaviors.md §5), replayed from fixtures/onelogin.json.
import { replayFlow } from './fixtures/replay.js';

replayFlow('onelogin.json');
