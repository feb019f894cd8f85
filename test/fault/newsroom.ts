// Ten unrelated news items of our own writing for the fault tests: far apart in subject and wording, so the story
// engine keeps each one a story of its own, and long enough to pass cleaning.
export interface NewsItem {
  readonly guid: string;
  readonly title: string;
  readonly text: string;
}

export const NEWSROOM: readonly NewsItem[] = [
  {
    guid: 'orchard-frost',
    title: 'Late frost ruins apricot blossom across the Wachau orchards',
    text: 'Growers in the Wachau valley lost most of their apricot blossom to two nights of hard frost. Farmers lit fires between the rows, but temperatures fell to minus five degrees before dawn.',
  },
  {
    guid: 'ferry-strike',
    title: 'Island ferry crews walk out over night shift rotas',
    text: 'Crews on the northern island ferries stopped work on Tuesday in a dispute about night shift rotas. Passengers queued at the harbour while the operator chartered a single replacement vessel.',
  },
  {
    guid: 'telescope-mirror',
    title: 'Observatory finishes polishing its eight metre telescope mirror',
    text: 'Opticians at the mountain observatory completed four years of polishing on the primary mirror. The glass will be coated with aluminium in a vacuum chamber before astronomers take first light.',
  },
  {
    guid: 'chess-prodigy',
    title: 'Twelve year old wins national chess championship in final round',
    text: 'A twelve year old schoolgirl won the national chess championship with a sacrifice of her queen in the final round. She becomes the youngest champion since the tournament began.',
  },
  {
    guid: 'bridge-cables',
    title: 'Engineers replace corroded suspension cables on river crossing',
    text: 'Engineers began replacing corroded suspension cables on the old river crossing. Traffic is limited to one lane while divers inspect the anchor blocks beneath the water line.',
  },
  {
    guid: 'library-manuscript',
    title: 'Library restores medieval herbal manuscript damaged by damp',
    text: 'Conservators at the city library restored a medieval herbal manuscript that mould had damaged. The pages were dried page by page and the painted plant illustrations cleaned with soft brushes.',
  },
  {
    guid: 'marathon-heat',
    title: 'Marathon organisers move start to dawn as heatwave looms',
    text: 'Organisers moved the start of the city marathon to six in the morning because forecasters expect a heatwave. Extra water stations and medical tents will line the course along the canal.',
  },
  {
    guid: 'vaccine-cattle',
    title: 'Vets begin vaccinating cattle against bluetongue in the south',
    text: 'Veterinarians started a vaccination campaign against bluetongue disease in southern cattle herds. Midges spread the virus in warm weather, and farmers must keep animals indoors at dusk.',
  },
  {
    guid: 'opera-premiere',
    title: 'Opera house premieres a new work about a lighthouse keeper',
    text: 'The opera house staged the premiere of a new opera about a lonely lighthouse keeper. Critics praised the soprano and the storm scene, in which the whole orchestra imitates waves.',
  },
  {
    guid: 'battery-plant',
    title: 'Battery factory opens on former coal mine site',
    text: 'A battery factory opened on the site of a former coal mine and hired three hundred workers. Many of them retrained from mining jobs during an eighteen month apprenticeship programme.',
  },
];
