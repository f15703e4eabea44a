// Microsoft Entra ID's provisioning sequence (docs/idp-rules.md), replayed from fixtures/entra.json.
import { replayFlow } from './fixtures/replay.js';

replayFlow('entra.json');
