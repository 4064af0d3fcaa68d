// Small files in the exact layouts of the formats the loaders read (MovieLens 100K, 1M,
// latest, generic CSV and feature tables): the starting points the fuzz targets mutate.

const GENRES_100K = ['unknown', 'Action', 'Adventure', 'Animation', "Children's", 'Comedy', 'Crime', 'Documentary', 'Drama', 'Fantasy', 'Film-Noir', 'Horror', 'Musical', 'Mystery', 'Romance', 'Sci-Fi', 'Thriller', 'War', 'Western'];

const flags = (on: number[]) => GENRES_100K.map((_, g) => (on.includes(g) ? '1' : '0')).join('|');

/** MovieLens 100K: u.data and a fold are tab-separated, the rest '|'-separated; u.item is Latin-1. */
export const ML100K: Record<string, string> = {
  'u.data': '196\t242\t3\t881250949\n186\t302\t3\t891717742\n22\t377\t1\t878887116\n244\t51\t2\t880606923\n166\t346\t1\t886397596\n298\t474\t4\t884182806\n115\t265\t2\t881171488\n',
  'u.user': '196|49|M|writer|55105\n186|39|F|executive|00000\n22|25|M|writer|40206\n244|28|M|technician|80525\n166|47|M|educator|55113\n',
  'u.item': [
    `242|Kolya (1996)|24-Jan-1997||http://us.imdb.com/M/title-exact?Kolya%20(1996)|${flags([5])}`,
    `302|L.A. Confidential (1997)|01-Jan-1997||http://us.imdb.com/M/title-exact?L%2EA%2E+Confidential+(1997)|${flags([6, 10, 13, 16])}`,
    `377|Heavyweights (1994)|01-Jan-1994||http://us.imdb.com/M/title-exact?Heavyweights%20(1994)|${flags([4, 5])}`,
    `51|Légendes d'automne (1994)|01-Jan-1994||http://us.imdb.com/M/title-exact?Legends%20of%20the%20Fall%20(1994)|${flags([8, 14, 17, 18])}`,
    `346|Jackie Brown (1997)|01-Jan-1997||http://us.imdb.com/M/title-exact?imdb-title-119396|${flags([6, 8])}`,
    `474|Dr. Strangelove (1963)|01-Jan-1963||http://us.imdb.com/M/title-exact?Dr.%20Strangelove%20(1963)|${flags([15, 17])}`,
    `265|Hunt for Red October, The (1990)|01-Jan-1990||http://us.imdb.com/M/title-exact?Hunt%20for%20Red%20October,%20The%20(1990)|${flags([1, 16])}`,
  ].join('\n') + '\n',
  'u.genre': GENRES_100K.map((g, k) => `${g}|${k}`).join('\n') + '\n\n',
  'u.occupation': 'educator\nexecutive\ntechnician\nwriter\nother\n',
  'u1.base': '196\t242\t3\t881250949\n186\t302\t3\t891717742\n22\t377\t1\t878887116\n244\t51\t2\t880606923\n',
  'u1.test': '166\t346\t1\t886397596\n298\t474\t4\t884182806\n',
};

/** MovieLens 1M: '::'-separated; movies.dat is Latin-1 with the year in the title. */
export const ML1M: Record<string, string> = {
  'ratings.dat': '1::1193::5::978300760\n1::661::3::978302109\n1::914::3::978301968\n2::1357::5::978298709\n2::3068::4::978299000\n3::1193::4::978297867\n',
  'users.dat': '1::F::1::10::48067\n2::M::56::16::70072\n3::M::25::15::55117\n',
  'movies.dat': "1193::One Flew Over the Cuckoo's Nest (1975)::Drama\n661::James and the Giant Peach (1996)::Animation|Children's|Musical\n914::My Fair Lady (1964)::Musical|Romance\n1357::Shine (1996)::Drama|Romance\n3068::Verdict, The (1982)::Drama\n",
};

/** MovieLens latest: ratings.csv with a header and half stars; movies.csv with quoted titles. */
export const ML_LATEST: Record<string, string> = {
  'ratings.csv':
    'userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,3,4.0,964981247\n1,6,4.0,964982224\n1,50,5.0,964982931\n2,1,3.5,1445714835\n2,50,0.5,1445714845\n' +
    '2,99,2.0,1445715100\n3,3,5.0,1306463578\n3,6,3.0,1306463600\n4,1,4.5,986935199\n4,99,1.5,986935210\n5,50,4.0,847434962\n',
  'movies.csv': 'movieId,title,genres\n1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy\n3,Grumpier Old Men (1995),Comedy|Romance\n6,Heat (1995),Action|Crime|Thriller\n50,"Usual Suspects, The (1995)",Crime|Mystery|Thriller\n99,"""Great Performances"" Cats (1998)",(no genres listed)\n',
};

/** Generic ratings files: a header or none, four delimiters, dates, quoted ids. */
export const RATINGS_CSV: string[] = [
  'user,item,rating\nu1,i1,4\nu1,i2,3.5\nu2,i1,5\nu3,i3,1\n',
  'userId\tmovieId\trating\ttimestamp\n1\t10\t3\t881250949\n2\t10\t4\t881250950\n2\t11\t2\t881250999\n',
  '1;10;3;2020-01-01T12:00:00Z\n2;10;4;2020-02-29\n2;11;2;01-Jan-1995\n',
  'customer_id|product_id|score|date\nc1|p1|4|2021-03-04 10:00\nc2|p1|-1.5|2021-03-05T00:00:00+01:00\n',
  'user,item,rating\n"u,1",i1,4\n"u ""2""",i2,3\nu3,"i\n3",2\n',
];

/** Feature tables: number, string and multi columns, empty cells, quotes. */
export const FEATURE_TABLES: string[] = [
  'item,year,title,genres\ni1,1995,"Heat, The",Action|Crime\ni2,,Babe,Comedy\ni3,1990,,\n',
  'user\tage\tgender\toccupation\nu1\t24\tM\ttechnician\nu2\t53\tF\tother\nu3\t\t\tother\n',
  'id;price;tags\np1;9.99;a|b\np2;-0.5;\np3;1e3;c\n',
];

/** A generic CSV data set: ratings, a test file and both feature tables sharing ids. */
export const CSV_DATASET: Record<'ratings' | 'testRatings' | 'userFeatures' | 'itemFeatures', string> = {
  ratings: 'user,item,rating,time\nu1,i1,4,1000\nu1,i2,3,1001\nu2,i1,5,1002\nu3,i3,1,1003\n',
  testRatings: 'user,item,rating,time\nu2,i2,2,2000\nu3,i1,4,2001\n',
  userFeatures: 'user,age,city\nu1,30,Paris\nu2,41,"Rio, BR"\nu3,,Oslo\n',
  itemFeatures: 'item,year,genres\ni1,1995,Action|Drama\ni2,2001,Comedy\ni3,,\n',
};
