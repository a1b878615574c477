// Placement contracts (issue 4, item 5): request, candidates, strategies. Filled in by the placement slice.
export {};
