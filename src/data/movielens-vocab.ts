// Fixed vocabularies of the MovieLens releases, for files that leave them implicit.

/** MovieLens 100K's 19 genres, in u.item's flag order (as listed in u.genre). */
export const ML100K_GENRES: readonly string[] = [
  'unknown', 'Action', 'Adventure', 'Animation', "Children's", 'Comedy', 'Crime', 'Documentary', 'Drama', 'Fantasy',
  'Film-Noir', 'Horror', 'Musical', 'Mystery', 'Romance', 'Sci-Fi', 'Thriller', 'War', 'Western',
];

/** MovieLens 100K's 21 occupations (u.occupation). */
export const ML100K_OCCUPATIONS: readonly string[] = [
  'administrator', 'artist', 'doctor', 'educator', 'engineer', 'entertainment', 'executive', 'healthcare', 'homemaker',
  'lawyer', 'librarian', 'marketing', 'none', 'other', 'programmer', 'retired', 'salesman', 'scientist', 'student',
  'technician', 'writer',
];

/** MovieLens 1M's occupation codes 0..20 (README of ml-1m). */
export const ML1M_OCCUPATIONS: readonly string[] = [
  'other', 'academic/educator', 'artist', 'clerical/admin', 'college/grad student', 'customer service',
  'doctor/health care', 'executive/managerial', 'farmer', 'homemaker', 'K-12 student', 'lawyer', 'programmer',
  'retired', 'sales/marketing', 'scientist', 'self-employed', 'technician/engineer', 'tradesman/craftsman',
  'unemployed', 'writer',
];

/** MovieLens 1M's age codes: each is the lower bound of its bracket (1 = "under 18"). */
export const ML1M_AGE_CODES: readonly number[] = [1, 18, 25, 35, 45, 50, 56];

/** MovieLens 1M's 18 genres (100K's list without "unknown"). */
export const ML1M_GENRES: readonly string[] = ML100K_GENRES.slice(1);

/** What ml-latest writes for a movie without genres; loaders turn it into an empty list. */
export const NO_GENRES = '(no genres listed)';
