import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseOptions, parsePeer } from '../../bench/options.js';

const URL_TEXT = 'http://127.0.0.1:5801/api/scim/v2.0/dir-1';
const TOKEN = 's3cret-token';

describe('bench --peer', () => {
  it('reads NAME=URL,TOKEN,PID', () => {
    const peer = parsePeer(`jackson=${URL_TEXT},${TOKEN},4242`);
    assert.equal(peer.name, 'jackson');
    assert.equal(peer.url.href, URL_TEXT);
    assert.equal(peer.token, TOKEN);
    assert.equal(peer.pid, 4242);
  });

  it('leaves the PID out when it is not given, and takes an empty token as none', () => {
    const peer = parsePeer(`scimmy=${URL_TEXT},`);
    assert.equal(peer.token, '');
    assert.equal(peer.pid, undefined);
  });

  for (const [spec, why] of [
    [`jackson=${URL_TEXT}`, /needs a URL and a token/],
    [`${URL_TEXT},${TOKEN}`, /has no NAME=/],
    [`jackson=https://127.0.0.1/scim,${TOKEN}`, /must be http:\/\//],
    [`jackson=not a url,${TOKEN}`, /is not a URL/],
    [`jackson=${URL_TEXT}?x=1,${TOKEN}`, /without query/],
    [`jackson=${URL_TEXT},${TOKEN},12ab`, /PID "12ab"/],
    [`jackson=${URL_TEXT},tok,en,1`, /cannot contain a comma/],
    [`roster=${URL_TEXT},${TOKEN}`, /taken by the benchmark/],
  ] as const) {
    it(`refuses ${spec.replace(URL_TEXT, 'URL')}`, () => {
      assert.throws(() => parsePeer(spec), why);
    });
  }

  it('never repeats the token in its error messages', () => {
    assert.throws(
      () => parsePeer(`jackson=${URL_TEXT},${TOKEN},x`),
      (error: Error) => !error.message.includes(TOKEN) && error.message.includes('<token>'),
    );
  });

  it('is repeatable, and each peer is seeded with --users unless --peer-users says otherwise', () => {
    const options = parseOptions(['--users', '20000', '--peer', `a=${URL_TEXT},${TOKEN}`, `--peer=b=${URL_TEXT},${TOKEN},7`]);
    assert.deepEqual(options.peers.map((peer) => [peer.name, peer.pid]), [['a', undefined], ['b', 7]]);
    assert.equal(options.peerUsers, 20000);
    assert.equal(parseOptions(['--users', '20000', '--peer-users', '5_000', '--peer', `a=${URL_TEXT},${TOKEN}`]).peerUsers, 5000);
  });

  it('keeps tokens out of the command line recorded in the report', () => {
    const options = parseOptions(['--peer', `a=${URL_TEXT},${TOKEN},7`, `--peer=b=${URL_TEXT},${TOKEN}`, '--duration', '5']);
    assert.ok(!options.command.includes(TOKEN));
    assert.equal(options.command, `npm run bench -- --peer a=${URL_TEXT},<token>,7 --peer=b=${URL_TEXT},<token> --duration 5`);
  });

  it('refuses the same peer name twice, and --peer-users without a peer', () => {
    assert.throws(() => parseOptions(['--peer', `a=${URL_TEXT},${TOKEN}`, '--peer', `a=${URL_TEXT},${TOKEN}`]), /given twice/);
    assert.throws(() => parseOptions(['--peer-users', '100']), /needs at least one --peer/);
  });

  it('has no peers by default', () => {
    assert.deepEqual(parseOptions([]).peers, []);
  });
});

describe('bench --baseline', () => {
  it('takes an earlier report to compare with, as an absolute path', () => {
    const options = parseOptions(['--baseline', 'bench/results/before.json']);
    assert.ok(options.baseline?.endsWith('/bench/results/before.json'));
    assert.ok(options.baseline?.startsWith('/'));
    assert.equal(parseOptions([]).baseline, undefined);
  });
});
