// OneLogin's provisioning sequence (docs/idp-rules.md#onelogin), replayed from fixtures/onelogin.json.
import { replayFlow } from './fixtures/replay.js';

replayFlow('onelogin.json');
