"""Review and intake: the expert roster, reviewer routing, the expert ledger (信誉管理), the collection report
(通报) and submission by GitHub issue form."""
