import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { appSecrets, maskUrlPassword, redactError, redactSecrets, urlPasswords } from '../../src/secrets.js';

describe('maskUrlPassword', () => {
  it.each([
    ['postgres://u:p@h/db', 'postgres://u:***@h/db'],
    ['postgres://u:Sl/ash@h/db', 'postgres://u:***@h/db'],
    ['postgres://u:Ha#sh@h/db', 'postgres://u:***@h/db'],
    ['postgres://u:Qu?est@h/db', 'postgres://u:***@h/db'],
    ['postgres://u:A@t@h:5432/db?sslmode=require', 'postgres://u:***@h:5432/db?sslmode=require'],
    ['postgres://u:Pct%2F%23%3F%40@h/db', 'postgres://u:***@h/db'],
    ['postgres://u@h/db?password=QueryPw', 'postgres://u@h/db?password=***'],
    ['postgresql://h/db?user=u&password=a&b&sslmode=disable', 'postgresql://h/db?user=u&password=***&sslmode=disable'],
    ['postgresql:///db?host=/tmp&sslpassword=Key#frag', 'postgresql:///db?host=/tmp&sslpassword=***'],
    ["host=h password='se cret' dbname=x", 'host=h password=*** dbname=x'],
    ['host=h password=plain dbname=x', 'host=h password=*** dbname=x'],
    ['redis://:RedisPw@h:6379', 'redis://:***@h:6379'],
    ['redis://default:p@h', 'redis://default:***@h'],
    ['rediss://:p@h:6380/2', 'rediss://:***@h:6380/2'],
    ['redis://h:6379?password=R4&db=2', 'redis://h:6379?password=***&db=2'],
    ['https://reader:s3cret@feeds.example/rss', 'https://reader:***@feeds.example/rss'],
  ])('%s', (url, shown) => {
    expect(maskUrlPassword(url)).toBe(shown);
  });

  it.each([
    'redis://h:6379',
    'sqlite://./data/x.sqlite',
    'postgres://u@h/db',
    'postgres://h/db?application_name=me@x',
    'https://feeds.example/rss?page=2',
  ])('leaves %s as it is', (url) => {
    expect(maskUrlPassword(url)).toBe(url);
  });
});

describe('urlPasswords', () => {
  it('lists a password as written, decoded and encoded', () => {
    expect(urlPasswords('postgres://u:p%40ss@h/db')).toEqual(expect.arrayContaining(['p%40ss', 'p@ss']));
    expect(urlPasswords('postgres://u:Sl/ash@h/db')).toEqual(expect.arrayContaining(['Sl/ash', 'Sl%2Fash']));
    expect(urlPasswords('postgresql://h/db?password=QueryPw&x=1')).toContain('QueryPw');
    expect(urlPasswords('redis://h:6379')).toEqual([]);
  });
});

describe('redactSecrets', () => {
  it('replaces every occurrence, longer secrets first', () => {
    expect(redactSecrets('a hunter2 b hunter22', ['hunter2', 'hunter22'])).toBe('a *** b ***');
    expect(redactSecrets('nothing here', ['', 'x-y'])).toBe('nothing here');
  });
});

describe('redactError', () => {
  it('cleans the message, stack, string properties and every wrapped error in place', () => {
    const inner = Object.assign(new TypeError('Invalid URL'), { input: 'redis://:Pw#1@h' });
    const aggregate = new AggregateError([new Error('AUTH Pw#1 refused')], 'all failed');
    const outer = new Error('connect to redis://:Pw#1@h failed', { cause: inner });
    const wrapper = new Error('outer', { cause: aggregate });
    redactError(outer, ['Pw#1']);
    redactError(wrapper, ['Pw#1']);
    expect(outer.message).toBe('connect to redis://:***@h failed');
    expect(outer.stack).not.toContain('Pw#1');
    expect((inner as TypeError & { input: string }).input).toBe('redis://:***@h');
    expect(aggregate.errors[0]).toHaveProperty('message', 'AUTH *** refused');
  });

  it('leaves anything that is not an error alone', () => {
    expect(redactError('Pw#1', ['Pw#1'])).toBe('Pw#1');
  });
});

describe('appSecrets', () => {
  it("lists a config's tokens, storage password and feed credentials", () => {
    const config = parseConfig(
      [
        'feeds:',
        '  - url: "https://reader:p%2Fss@feeds.example/rss"',
        '  - url: "https://T0ken@feeds.example/other"',
        'storage: { url: "postgres://bot:Db0Pass@db/news" }',
      ].join('\n'),
      'newsdigest.yaml',
      { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'sig', DISCORD_TOKEN: 'disc' },
      { files: { exists: () => true, readText: () => 'topics:\n  - name: Any\n    terms: { any: 1 }\n' } },
    );
    const secrets = appSecrets(config);
    const basic = Buffer.from('reader:p/ss').toString('base64');
    expect(secrets).toEqual(expect.arrayContaining(['xoxb-1', 'sig', 'disc', 'Db0Pass', 'p/ss', 'p%2Fss', basic]));
    expect(secrets).toContain('T0ken');
    expect(redactSecrets(`token xoxb-1, header Basic ${basic}`, secrets)).toBe('token ***, header Basic ***');
  });
});
