// JumpCloud's provisioning sequence (docs/idp-rules.md#jumpcloud), replayed from fixtures/jumpcloud.json.
import { replayFlow } from './fixtures/replay.js';

replayFlow('jumpcloud.json');
