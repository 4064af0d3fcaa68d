// The sizes of a train/test split and how many users and items it leaves cold.

import type { Split } from './dataset.js';
import type { Interactions } from './interactions.js';

/** Sizes of a split; "cold" = present in test without any training rating. */
export interface SplitReport {
  nTrain: number;
  nTest: number;
  usersTrain: number;
  usersTest: number;
  itemsTrain: number;
  itemsTest: number;
  coldUsers: number;
  coldItems: number;
  /** Test ratings whose user (item) is cold. */
  coldUserRatings: number;
  coldItemRatings: number;
}

/** A Split with its report; usable wherever a Split is expected. */
export interface SplitWithReport extends Split {
  report: SplitReport;
}

/**
 * Counts ratings, users and items on each side and the cold ones in test.
 *
 * @example
 * splitReport(split.train, split.test).coldUsers; // 0 for MovieLens' u1
 */
export function splitReport(train: Interactions, test: Interactions): SplitReport {
  const distinct = (a: Int32Array) => new Set(a);
  const trainUsers = distinct(train.users);
  const trainItems = distinct(train.items);
  const testUsers = distinct(test.users);
  const testItems = distinct(test.items);
  let coldUserRatings = 0;
  let coldItemRatings = 0;
  for (let r = 0; r < test.length; r++) {
    if (!trainUsers.has(test.users[r])) coldUserRatings++;
    if (!trainItems.has(test.items[r])) coldItemRatings++;
  }
  const coldCount = (test: Set<number>, train: Set<number>) => [...test].filter((x) => !train.has(x)).length;
  return {
    nTrain: train.length,
    nTest: test.length,
    usersTrain: trainUsers.size,
    usersTest: testUsers.size,
    itemsTrain: trainItems.size,
    itemsTest: testItems.size,
    coldUsers: coldCount(testUsers, trainUsers),
    coldItems: coldCount(testItems, trainItems),
    coldUserRatings,
    coldItemRatings,
  };
}

