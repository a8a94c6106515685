"""Which scored pairs become links: mutual best, or standing out in row and column."""

from __future__ import annotations

import numpy as np

# A pair that is not mutual-best must stand out in its row and in its column: at least
# MARGIN_STD standard deviations above the mean score, and at least MARGIN_RATIO of the best.
MARGIN_STD = 1.0
MARGIN_RATIO = 0.6


def select_pairs(scores: np.ndarray, *, threshold: float, top_k: int) -> list[tuple[int, int]]:
    """Row/column index pairs kept on the score path, in row-major order. O(n x m)."""
    rows, columns = np.nonzero(scores >= threshold)
    if not len(rows):
        return []
    values = scores[rows, columns]
    keep = (scores.argmax(axis=1)[rows] == columns) & (scores.argmax(axis=0)[columns] == rows)
    others = np.flatnonzero(~keep)
    if len(others):
        passes = np.ones(len(others), dtype=bool)
        for lines, index in ((scores, rows[others]), (scores.T, columns[others])):
            # Only the rows (columns) that hold a candidate: at most one copy of the matrix.
            involved, where = np.unique(index, return_inverse=True)
            block = lines[involved]
            k = min(top_k, block.shape[1])
            # In the top k: no more than k - 1 partners score strictly higher.
            kth_best = -np.partition(-block, k - 1, axis=1)[:, k - 1]
            floor = np.maximum(
                block.mean(axis=1) + MARGIN_STD * block.std(axis=1),
                MARGIN_RATIO * block.max(axis=1),
            )
            passes &= (values[others] >= kth_best[where]) & (values[others] >= floor[where])
        # Ties could let a row keep more than k partners: keep its k best, lowest index first.
        passing = others[passes]
        for line_index, other_index in ((rows, columns), (columns, rows)):
            order = np.lexsort((other_index[passing], -values[passing], line_index[passing]))
            grouped = line_index[passing][order]
            first = np.searchsorted(grouped, grouped, side="left")
            passing = np.sort(passing[order][np.arange(len(order)) - first < top_k])
        keep[passing] = True
    return list(zip(rows[keep].tolist(), columns[keep].tolist(), strict=True))
