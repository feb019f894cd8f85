import { describe, expect, it } from 'vitest';
import { prepareArticle } from '../../src/domain/article.js';
import { judgeNotAReport } from '../../src/domain/not-a-report.js';

const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');

// An advertiser's list in a markets outlet's pages, with the outlet's label and disclosure on top.
const SPONSORED = `SPONSORED CONTENT
This content is paid for by an advertiser and produced by our brand studio. The newsroom was not involved in its creation.
With the central bank expected to cut rates next year, income investors are turning to dividend payers. Here are five to consider.
1. A utility with a 4.8% yield and twenty years of raises.
2. A pipeline operator yielding 6.2%.
Past performance is no guarantee of future results. Consult a financial adviser.`;

// The same kind of page labelled only at its foot, and one marked only by its disclosure.
const PRESENTED = `Retirement planning has changed. Savers now hold more in index funds than ever, and advisers say fees matter more than picks.
A couple aged 55 with modest savings can still retire at 67 if they raise contributions by two points, the planner's model shows.
Presented by Northgate Wealth`;
const DISCLOSED = `Smart thermostats can cut a household's heating bill by up to a tenth, according to figures the maker collected from 40,000 homes last winter.
This article was produced by our commercial team on behalf of Heatwise. It was not written by our journalists.`;

// A report ABOUT paid content: the words, never the label.
const ABOUT_SPONSORS = `Regulators fined a publisher on Tuesday for running sponsored content from an oil company without labelling it, the first such penalty in the country.
The watchdog said 14 articles paid for by the advertiser had appeared as ordinary news over six months.
The publisher said it had since labelled every paid post and would not appeal.`;

// A podcast episode as a podcast feed lists it: title, the show's voice, chapter times, subscribe lines.
const EPISODE = `In this episode we talk about the chipmaker's blowout quarter, why a shipping line is parking its vessels, and what the central bank chair did not say.
00:00 Intro
02:15 The chipmaker's results
14:40 Shipping rates
25:10 The central bank
Subscribe on your favourite podcast app and leave us a review.`;

// A report about a podcast: its host said something "in an episode", no chapters, no show voice.
const ABOUT_PODCAST = `A popular finance podcaster apologised on Monday after telling listeners in an episode released last week that a bank was about to fail.
Shares of the bank fell 6% on the day the episode was released before recovering, and the regulator said it was looking into the remarks.
The host said he had relied on a single source and should have checked the claim.`;

// A live blog: clock times head its entries, like chapters, but nothing else of a show.
const LIVE = `Live coverage of the envoy's visit to Berlin, as it happens.
09:15 The envoy has landed at Berlin airport and is on his way to the chancellery.
10:40 The chancellor greets the envoy outside the chancellery; no statements to the press.
12:05 Talks are expected to run into the afternoon, a government spokesperson says.`;

// A gallery: captions, each with its credit, under the outlet's label.
const GALLERY = `GALLERY
Cranes over the plant site outside Phoenix. Photo: Capital Post
Workers install clean-room walls. Photo: Capital Post
The first tools arrive in October. Photo: the company
An aerial view of the site. Photo: Capital Post
1 of 12`;

// A report with a photo and its credit: one caption among reported paragraphs.
const WITH_PHOTO = `Firefighters contained a wildfire north of the city on Sunday after it burned 1,200 hectares and forced 3,000 people from their homes, officials said.
Smoke rises over the hills near the highway. Photo: Regional Fire Service
Winds dropped overnight, letting crews build lines around the fire's eastern edge, the fire service said in a statement.
Residents of two villages were allowed home on Sunday evening; a third remains closed while power lines are repaired.`;

describe('pages a feed lists that are not reports', () => {
  it("reads paid content by the outlet's label, title or disclosure, and a report about it by none", () => {
    expect(judgeNotAReport('5 Dividend Stocks to Buy', lines(SPONSORED))?.kind).toBe('paid content');
    expect(judgeNotAReport('Sponsored: How to retire at 67', lines(ABOUT_SPONSORS))?.reason).toMatch(
      /titled "Sponsored"/,
    );
    expect(judgeNotAReport('Is it time to rethink retirement?', lines(PRESENTED))?.reason).toMatch(
      /labelled "Presented by Northgate Wealth"/,
    );
    expect(judgeNotAReport('Cut your heating bill', lines(DISCLOSED))?.kind).toBe('paid content');
    expect(judgeNotAReport('Publisher fined over unlabelled sponsored posts', lines(ABOUT_SPONSORS))).toBeNull();
  });

  it('reads a podcast episode by two marks of a show, and keeps a report about a podcast and a live blog', () => {
    const titled = judgeNotAReport('Episode 214: Chips, ships and the Fed', lines(EPISODE));
    expect(titled?.kind).toBe('podcast episode');
    expect(titled?.reason).toMatch(/titled "Episode 214.*4 chapter times/);
    // no episode title: the show's voice and its chapters are two marks
    expect(judgeNotAReport('Chips, ships and the Fed', lines(EPISODE))?.kind).toBe('podcast episode');
    expect(judgeNotAReport('Finance podcaster apologises for bank claim', lines(ABOUT_PODCAST))).toBeNull();
    expect(judgeNotAReport('Live: Envoy in Berlin', lines(LIVE))).toBeNull();
  });

  it('reads a photo gallery by its credits on most lines, and keeps a report with one photo', () => {
    const gallery = judgeNotAReport("Novalux's new fab rises in the desert", lines(GALLERY));
    expect(gallery?.kind).toBe('photo gallery');
    expect(gallery?.reason).toMatch(/4 of 4 lines are captions/);
    expect(judgeNotAReport('Wildfire contained after 3,000 evacuated', lines(WITH_PHOTO))).toBeNull();
  });

  it('rejects each at ingest with its reason, and keeps the reports beside them', () => {
    const prepared = (id: string, title: string, text: string) =>
      prepareArticle({ id, title, text, source: 'Desk', publishedAt: '2026-12-03T20:00:00Z' }, { order: 0 });
    for (const [id, title, text, reason] of [
      ['paid', '5 Dividend Stocks to Buy Before the Fed Cuts Rates', SPONSORED, /^paid content, not a report/],
      ['pod', 'Episode 214: Chips, ships and the Fed', EPISODE, /^a podcast episode's show notes/],
      ['pics', 'In pictures: the new fab', GALLERY, /^a photo gallery, not a report: titled "In pictures/],
    ] as const) {
      const result = prepared(id, title, text);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.rejection.reason).toMatch(reason);
    }
    for (const [id, title, text] of [
      ['fine', 'Publisher fined over unlabelled sponsored posts', ABOUT_SPONSORS],
      ['host', 'Finance podcaster apologises for bank claim', ABOUT_PODCAST],
      ['fire', 'Wildfire contained after 3,000 evacuated', WITH_PHOTO],
    ] as const) {
      expect(prepared(id, title, text).ok).toBe(true);
    }
  });
});

describe('journalism credited to a partner newsroom', () => {
  it('is no paid content', () => {
    const text = `The county jail held 41 people past their release dates last year, records obtained by reporters show.
This article was produced by the Valley Investigative Desk in partnership with the Gazette, a nonprofit newsroom.`;
    expect(judgeNotAReport('Jail held dozens past release dates', lines(text))).toBeNull();
  });
});

describe('a list of ratings', () => {
  const RATINGS = `Tiago Neves 9 - Two goals and a constant threat down the left.
Bruno Lima 8 - Came on for the last twenty minutes and sealed it.
Goalkeeper Rafael Costa 6 - Beaten by the penalty, little else to do.
Captain Joao Reis 7/10: solid at the back after a nervous start.`;
  // a match report with a score line and a player's name next to numbers
  const REPORT = `Lisbra United beat Porto Real 3-1 on Sunday to go top of the league, with two goals from Tiago Neves.
Porto Real led through an early penalty before Neves equalised on the half hour.
Half-time: Lisbra United 1 - 1 Porto Real.
Substitute Bruno Lima sealed the win in stoppage time, and United are a point clear with 14 games played.`;

  it('is no report: its lines rate names with scores; a match report with a score line is kept', () => {
    expect(judgeNotAReport('Player ratings: Neves the star as United go top', lines(RATINGS))?.reason).toBe(
      'a list of ratings, not a report: 4 of 4 lines rate a name with a score',
    );
    expect(judgeNotAReport('Lisbra United beat Porto Real 3-1 to go top', lines(REPORT))).toBeNull();
  });
});

describe("an outlet's corrections, almanac and puzzles", () => {
  const CORRECTIONS = `A report on Wednesday's rates decision gave the wrong range for the benchmark rate; it is 3.75% to 4.00%.
An obituary of the composer Ilse Marr on Tuesday gave her age as 81. She was 84.
A caption on a photograph of the tram line misnamed the district. It is Nordviertel.`;
  // a wire's story re-issued with its correction at the foot: a report
  const CORRECTED_STORY = `The national weather service issued an amber warning on Saturday for storm Ilka, which is expected to bring gusts of up to 110 km/h to the north coast.
Ferry operators said crossings could be cancelled and the coastguard urged people to stay away from sea fronts.
Schools in three coastal districts will stay closed on Monday, the regional government said.
An earlier version of this story misstated the expected wind speed.`;
  const ON_THIS_DAY = `1933: Prohibition ends in the United States as Utah ratifies the 21st Amendment.
1945: Flight 19, a squadron of five US Navy bombers, disappears over the Bermuda Triangle.
2013: Nelson Mandela dies at the age of 95 in Johannesburg.`;

  it('rejects a corrections column, and keeps a story re-issued with its correction', () => {
    expect(judgeNotAReport('Corrections and clarifications', lines(CORRECTIONS))?.reason).toBe(
      'a corrections notice, not a report: titled "Corrections and clarifications", 2 of 3 lines correct earlier articles',
    );
    expect(
      judgeNotAReport('Correction: Storm Ilka to bring gales to the north coast', lines(CORRECTED_STORY)),
    ).toBeNull();
  });

  it('rejects an "on this day" list and a puzzle page by their titles, and keeps news that uses the words', () => {
    expect(judgeNotAReport('On this day: December 5', lines(ON_THIS_DAY))?.kind).toBe('on this day');
    expect(judgeNotAReport("Today's crossword: No. 18,402", ['Across', '1 Capital of Valdoria (6)'])?.kind).toBe(
      'puzzle',
    );
    expect(
      judgeNotAReport('Scientists puzzle over crossword-like pattern in Mars rock', lines(CORRECTED_STORY)),
    ).toBeNull();
    expect(judgeNotAReport('Police quiz suspects after plant explosion', lines(CORRECTED_STORY))).toBeNull();
    expect(judgeNotAReport('Mandela statue unveiled on this day of his death', lines(CORRECTED_STORY))).toBeNull();
  });
});

describe('service pages: recipes, advice columns, routine bulletins', () => {
  const RECIPE = `Serves 4. Prep time 15 minutes, cook time 40 minutes.
Ingredients
2 carrots, diced
1 leek, sliced
Method
1. Soften the leek in a little oil for five minutes.
2. Pour in the stock, bring to the boil and simmer for 30 minutes.`;
  // a report on a food shortage that names ingredients
  const SHORTAGE = `Bakers in the north said on Friday they were running short of flour after the mill fire, and some had stopped baking bread.
The ingredients for most of their loaves come from the one mill, the bakers' association said.
The mill's owner said production would restart within two weeks.`;
  const ADVICE = `Dear Ana, my sister and I fell out at her wedding in June when I gave a speech she says embarrassed her. What should I do?
Dear Heartbroken, six months is a long time, but not too long. Write to her, apologise for the hurt, and give her time.`;
  const FORECAST = `Today: A cold and bright start for most, with frost in sheltered spots. Rain reaches the coast by evening.
Tonight: Rain spreading east, heavy at times over high ground. Lows of 1 to 3C.
Tomorrow: Showers and sunny spells, windy on the north coast.`;
  const STORM = `The national weather service issued an amber warning on Saturday for storm Ilka, which is expected to bring gusts of up to 110 km/h to the north coast.
Ferry operators said crossings could be cancelled and the coastguard urged people to stay away from sea fronts.`;

  it('rejects a recipe and an advice column, and keeps a report about ingredients', () => {
    expect(judgeNotAReport('Recipe: winter vegetable soup', lines(RECIPE))?.kind).toBe('recipe');
    expect(judgeNotAReport('Winter vegetable soup', lines(RECIPE))?.kind).toBe('recipe');
    expect(judgeNotAReport('Bakers run short of flour after mill fire', lines(SHORTAGE))).toBeNull();
    expect(judgeNotAReport("Dear Ana: my sister won't speak to me", lines(ADVICE))?.kind).toBe('advice column');
  });

  it("rejects the day's forecast and a lottery draw by title and shape; a storm warning under a weather title is kept", () => {
    expect(judgeNotAReport('Weather forecast: cold and bright, rain later', lines(FORECAST))?.kind).toBe(
      'service bulletin',
    );
    expect(
      judgeNotAReport("Lottery results: Saturday's numbers", ['The winning numbers were 4, 11, 19, 27, 38 and 45.'])
        ?.kind,
    ).toBe('service bulletin');
    expect(judgeNotAReport('Weather: storm Ilka to bring gales to the north coast', lines(STORM))).toBeNull();
    expect(judgeNotAReport('Weather warning: storm Ilka to bring gales', lines(STORM))).toBeNull();
  });
});
