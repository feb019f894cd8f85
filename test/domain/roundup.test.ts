import { describe, expect, it } from 'vitest';
import { prepareArticle } from '../../src/domain/article.js';
import { judgeRoundup } from '../../src/domain/roundup.js';

const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');

// A morning newsletter as a feed carries it: greeting, four unrelated items under headings, sign-off.
const BRIEFING = `Good morning. Here is what you need to know today.
Envoy in Moscow
The US envoy spent five hours with the Russian president in the Kremlin last night. The Kremlin called the talks constructive, but there was no deal on territory.
Ferry strike
Greek ferry crews extend their walkout for a second day, stranding thousands of passengers at Piraeus.
Rates decision
The central bank is expected to hold its main interest rate at 3.75 percent when it announces its decision at noon.
And finally
A zoo in Prague has named its new baby elephant after a retired goalkeeper.
You are receiving this newsletter because you signed up. Unsubscribe or manage your preferences.`;

// One event explained in sections: the same names and words run through every section.
const EXPLAINER = `The talks between Iran and the United States resume in Oman on Saturday. Here is what you need to know.
Who is talking
Iran's foreign minister and the US envoy lead the talks in Oman, with Omani mediators carrying messages between the Iranian and US teams.
What is on the table
The US wants limits on Iran's uranium enrichment; Iran wants the US to lift sanctions before the talks in Oman go further.
What happens next
If the talks in Oman go well, the Iranian and US teams could meet directly at a second round in Muscat next week.`;

// An explainer whose sections share few words, under a title and opening that explainers and newsletters both use.
const NEPAL = `A passenger plane carrying 72 people crashed while landing in Pokhara, Nepal, on Sunday. Here is what you need to know.
What happened
The Yeti Airlines ATR 72 came down in a river gorge about a mile from the runway shortly before 11 a.m., minutes after the pilot asked to change runways.
Who was on board
There were 68 passengers and four crew, including 15 foreigners from India, Russia, South Korea and France, the airline said.
What caused it
Investigators have recovered the flight recorders. Weather was clear, and officials said it was too early to say what went wrong.
What happens next
A government commission will report within 45 days. The airport, opened two weeks ago, remains closed.`;

// A live blog: time stamps for headings, a greeting, one event.
const LIVE = `Good morning and welcome to our live coverage of the envoy's visit to Berlin.
09:00 GMT
The envoy arrives in Berlin to brief European national security advisers on his talks in Moscow.
09:25 GMT
The chancellor's spokesperson said the meeting with the envoy would start at 11:00 in Berlin.
10:40 GMT
Ukraine's negotiator will join the Berlin meeting with the envoy by video, his office said.`;

describe('judgeRoundup', () => {
  it('rejects a newsletter of several unrelated stories, naming its sections', () => {
    const verdict = judgeRoundup('Morning Briefing: envoy in Moscow, ferry strike, rates', lines(BRIEFING));
    expect(verdict?.reason).toMatch(/newsletter roundup of several stories/);
    expect(verdict?.reason).toContain('Envoy in Moscow, Ferry strike, Rates decision');
  });

  it('needs the newsletter voice: the same sections under a plain title and no greeting are kept', () => {
    // three sections, no greeting, no "And finally", no sign-off
    const body = lines(BRIEFING).slice(1, 7);
    expect(judgeRoundup('Envoy in Moscow, ferry strike and rates', body)).toBeNull();
    // the greeting alone is voice enough
    expect(judgeRoundup('What happened overnight', lines(BRIEFING))).not.toBeNull();
  });

  it('keeps an explainer of one event whose sections share its names and words', () => {
    expect(judgeRoundup('Iran talks: what you need to know', lines(EXPLAINER))).toBeNull();
  });

  it('keeps an explainer whose headings ask about one event, though its sections share few words', () => {
    expect(judgeRoundup('Nepal plane crash: what you need to know', lines(NEPAL))).toBeNull();
    // the same page in a newsletter's voice is still kept: its headings are questions about one event
    expect(judgeRoundup('Nepal plane crash', ['Good morning.', ...lines(NEPAL)])).toBeNull();
  });

  it('keeps a live blog: clock times are no section headings', () => {
    expect(judgeRoundup('Live: envoy briefs Europeans in Berlin', lines(LIVE))).toBeNull();
  });

  it('reads sections headed at the start of their line ("Izmir: the death toll..."), and keeps a transcript', () => {
    const inline = [
      'Good morning. Here is what you need to know today.',
      'Geneva: Ukrainian and Russian delegations meet for a second day, with prisoner lists on the agenda.',
      "Izmir: the death toll from Monday's fireworks warehouse explosion has risen to 12, and its owner is detained.",
      'Energy: a wind power company reported a 9 percent rise in revenue, helped by strong North Sea winds.',
      'Weather: cold and bright in the north, with rain spreading from the west later in the day.',
      "That's it for today. Forwarded this email? Sign up here.",
    ];
    expect(judgeRoundup('Morning briefing: Geneva, Izmir and wind', inline)?.reason).toMatch(
      /4 sections on different subjects: Geneva, Izmir, Energy, Weather/,
    );
    // speakers taking turns head their lines too, and say what they say in few shared words; they repeat
    const transcript = [
      'Good morning, and welcome to the programme. Our guest today is the envoy, back from the talks.',
      'Presenter: You spent five hours with the Russian president in the Kremlin yesterday evening. Was it worth it?',
      'Hartley: It was a useful conversation, and we agreed that the teams keep working on the remaining questions.',
      'Presenter: Did anything move on territory, which both sides call the hardest issue of all?',
      'Hartley: No compromise yet, but we know each position far better than we did a month ago in Riyadh.',
    ];
    expect(judgeRoundup('Envoy on the Kremlin talks', transcript)).toBeNull();
  });

  it("reads a transfer gossip column as a roundup, its headings asking; an explainer's questions stay an explainer's", () => {
    const gossip = [
      'Neves to England?',
      'Two Premier League clubs are monitoring Lisbra United striker Tiago Neves, 24, after his two goals on Sunday.',
      'Reis set for new deal',
      'Captain Joao Reis is close to agreeing a two-year extension at United, his agent says.',
      'Costa on the move?',
      'Goalkeeper Rafael Costa could leave in January as the club looks for a replacement.',
      'Sporting target',
      'Sporting Lisbra are interested in a young Brazilian midfielder who plays in the second division.',
    ];
    expect(judgeRoundup('Transfer gossip: Neves wanted in England, Reis to extend', gossip)?.reason).toMatch(
      /4 sections on different subjects: Neves to England\?, Reis set for new deal, Costa on the move\?/,
    );
    expect(judgeRoundup('Nepal plane crash: what you need to know', ['Good morning.', ...lines(NEPAL)])).toBeNull();
  });

  it("reads a what's-on listing as a roundup", () => {
    const listing = [
      'Christmas market',
      'The Christmas market opens on Saturday in the old town square, with 80 stalls, from 11 a.m. to 9 p.m.',
      'Organ concert',
      'The cathedral hosts an organ concert on Sunday at 5 p.m.; tickets cost 12 euros at the door.',
      'Heritage tram',
      'A heritage tram runs between the station and the Nordviertel every hour on Sunday afternoon.',
    ];
    expect(judgeRoundup("What's on this weekend: markets, concerts and a tram ride", listing)?.reason).toMatch(
      /3 sections on different subjects: Christmas market, Organ concert, Heritage tram/,
    );
  });

  it('rejects the roundup through the article pipeline with its reason', () => {
    const prepared = prepareArticle({ id: 'mb1', title: 'Morning Briefing', text: BRIEFING }, { order: 0 });
    expect(prepared.ok).toBe(false);
    if (!prepared.ok) expect(prepared.rejection.reason).toMatch(/^not an article: a newsletter roundup/);
  });
});
