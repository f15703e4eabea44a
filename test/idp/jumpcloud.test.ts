// JumpCloud's provisioning sequence (idp-behaviors.md §6), replayed from fixtures/jumpcloud.json.
import { replayFlow } from './fixtures/replay.js';

replayFlow('jumpcloud.json');
