/**
 * Stable in-place sort that builds nothing for short lists: insertion sort up to 32
 * elements, Array.prototype.sort (also stable, ECMAScript 2019) beyond. A stable sort's
 * result is fixed by the comparator alone, so both give the same order; V8's sort copies
 * the list into a work array on every call, which was a tenth of criticality's garbage
 * (one sort of a few output spikes per fault and digit).
 *
 *   stableSort(spikes, (a, b) => a.timePs - b.timePs || a.neuron - b.neuron);
 */

/** Longest list sorted by insertion. */
export const INSERTION_SORT_MAX = 32;

export function stableSort<T>(list: T[], compare: (a: T, b: T) => number): T[] {
  if (list.length > INSERTION_SORT_MAX) return list.sort(compare);
  for (let i = 1; i < list.length; i++) {
    const x = list[i];
    let j = i - 1;
    while (j >= 0 && compare(list[j], x) > 0) {
      list[j + 1] = list[j];
      j--;
    }
    list[j + 1] = x;
  }
  return list;
}
