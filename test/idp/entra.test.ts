// Microsoft Entra ID's provisioning sequence (idp-behaviors.md §3), replayed from fixtures/entra.json.
import { replayFlow } from './fixtures/replay.js';

replayFlow('entra.json');
